// SPDX-License-Identifier: GPL-2.0
/*
 * The executor seam: who runs a boot. `local` boots it here (bench/boot.c:
 * an emulated L0 under QEMU, or L0 as a process on an arm64 NV host);
 * `lava` submits it as a LAVA job and reads its frames back from the job's
 * log (bench/lab.c). Both write the same results directory.
 */
#include "bench/lab.h"
#include "bench/run.h"

int run_boot(const struct run_cfg *cfg)
{
	return cfg->lab ? lab_boot(cfg) : local_boot(cfg);
}
