# nestbench: benchmark harness for KVM/arm64 nested virtualization patches.
#
#   make              host tool (nestbench) and the static arm64 agent
#   make check        unit and end-to-end tests (README's test command)
#   make images       kernels (base, patched) and the guest root filesystem
#   make host-in-a-box  the arm64 host path in an emulated arm64 Debian box (~30 min)
#   make lab          a LAVA lab in private namespaces, one smoke job (docs/lab.md)
#   make sim-aa       the statistics' A/A and power simulation (docs/statistics.md)
#   make fuzz         libFuzzer + ASan/UBSan on every input kind (clang-14), fixed counts
#   make scale        report/compare CPU time at 1x and 8x hostile sizes (docs/results-format.md)
#   make V=1          show the commands;  WERROR=0  warnings are not errors
#   CROSS_COMPILE=    prefix of the arm64 toolchain (aarch64-linux-gnu- on x86, none on arm64)

V             ?= 0
WERROR        ?= 1
# an arm64 host builds the agent natively
ifeq ($(shell uname -m),aarch64)
CROSS_COMPILE ?=
else
CROSS_COMPILE ?= aarch64-linux-gnu-
endif
HOSTCC        ?= cc
O             ?= build

ifeq ($(V),1)
  Q =
  say =
else
  Q = @
  say = @printf '  %-8s %s\n' $(1) $(2);
endif

WARN   := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
          -Wno-unused-parameter -Wno-sign-compare
ifeq ($(WERROR),1)
  WARN += -Werror
endif
CFLAGS_ALL := -std=gnu11 -O2 -g $(WARN) -MMD -MP -D_GNU_SOURCE -I. -I$(O) \
              -I/usr/include/tracefs -I/usr/include/traceevent

# Code shared by the host tool and the agent: one launcher, one channel.
STACK_SRCS   := $(wildcard stack/*.c)
# Workloads (workloads/workload.h): one file each, the runner built into the
# agent, the parser into nestbench.
WL_SRCS      := $(wildcard workloads/*.c)
AGENT_SRCS   := $(wildcard agent/*.c) collect/tracer.c collect/perfstat.c collect/fprobe.c collect/counters.c $(STACK_SRCS) $(WL_SRCS)
STATS_SRCS   := $(wildcard stats/*.c)
COLLECT_HOST := $(filter-out collect/tracer.c collect/perfstat.c collect/fprobe.c,$(wildcard collect/*.c))
BENCH_SRCS   := $(filter-out bench/main.c,$(wildcard bench/*.c))
SIM_SRCS     := simulation/sim.c
LIB_SRCS     := $(STACK_SRCS) $(WL_SRCS) $(STATS_SRCS) $(COLLECT_HOST) $(BENCH_SRCS) $(SIM_SRCS)

HOST_LIBS  := -linih -ltracecmd -ltracefs -ltraceevent -ljson-c -lcurl -lcsv -lgsl -lgslcblas -lz -lm
AGENT_LIBS := -ltracefs -ltraceevent -lz

HO := $(O)/host
AO := $(O)/arm64
LIB_OBJS   := $(LIB_SRCS:%.c=$(HO)/%.o)
AGENT_OBJS := $(AGENT_SRCS:%.c=$(AO)/%.o)
TEST_SRCS  := $(wildcard tests/unit/test_*.c)
TEST_BINS  := $(TEST_SRCS:tests/unit/%.c=$(HO)/tests/%)

all: $(O)/nestbench $(AO)/nbagent

$(HO)/%.o: %.c
	$(call say,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) $(CFLAGS_ALL) $(CFLAGS) -c $< -o $@

$(AO)/%.o: %.c
	$(call say,CC-arm64,$@)
	@mkdir -p $(@D)
	$(Q)$(CROSS_COMPILE)gcc $(CFLAGS_ALL) -DNB_AGENT -c $< -o $@

# nestbench's own version, for manifests: rewritten only when it changes.
$(O)/version.h: FORCE
	@mkdir -p $(@D)
	@v="#define NB_VERSION \"$$(git describe --always --dirty 2>/dev/null || echo unknown)\""; \
	 [ "$$(cat $@ 2>/dev/null)" = "$$v" ] || echo "$$v" > $@
$(HO)/bench/manifest.o $(HO)/bench/main.o: $(O)/version.h

$(HO)/libnb.a: $(LIB_OBJS)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(O)/nestbench: $(HO)/bench/main.o $(HO)/libnb.a
	$(call say,LD,$@)
	$(Q)$(HOSTCC) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

# Static: the agent is PID 1 on a root filesystem that has no libc of its own
# matching ours, and must start before anything is mounted. libtraceevent's
# plugin loader makes the linker warn about dlopen; the agent loads no plugins.
$(AO)/nbagent: $(AGENT_OBJS)
	$(call say,LD-arm64,$@)
	$(Q)rm -f $@
	$(Q)$(CROSS_COMPILE)gcc -static -o $@ $^ $(AGENT_LIBS) 2> $@.ldlog || { cat $@.ldlog >&2; exit 1; }
	$(Q)grep -v 'dlopen\|event-plugin' $@.ldlog >&2 || true

# The statistics' A/A and power table (docs/statistics.md): synthetic results
# directories through report, the quick experiment look by look under its own
# stop rule; ~3 min on one core. SIM_DIRS=200 for a quick look.
SIM_DIRS ?= 2000
$(O)/nb-sim: $(HO)/simulation/main.o $(HO)/libnb.a
	$(call say,LD,$@)
	$(Q)$(HOSTCC) $(LDFLAGS) -o $@ $^ $(HOST_LIBS)

sim-aa: $(O)/nb-sim
	$(Q)$(O)/nb-sim --dirs $(SIM_DIRS)

# How report and compare grow with hostile sizes: 1x vs 8x, the CPU ratio.
scale: $(O)/nestbench
	$(Q)scripts/scale.sh

# The arm64 host path end to end, in an emulated arm64 Debian "host" with
# KVM_CAP_ARM_EL2 (tests/box/run.sh): ~30 min on 2 cores, too long for `check`.
host-in-a-box: deps
	$(Q)tests/box/run.sh

# A LAVA server, scheduler and worker in a cached Debian 12 root, entered
# through private namespaces; one job boots the project's Image (docs/lab.md).
# Not part of `check`: it needs root and, the first time, the network.
lab: images
	$(Q)tests/lab/run.sh

$(HO)/tests/%: $(HO)/tests/unit/%.o $(HO)/libnb.a
	$(call say,LD,$@)
	@mkdir -p $(@D)
	$(Q)$(HOSTCC) -o $@ $^ -lcmocka $(HOST_LIBS)

tests: $(TEST_BINS)

# The test command sets a fresh Debian machine up on its own.
deps:
	$(Q)scripts/install-deps.sh

check: deps
	$(Q)$(MAKE) --no-print-directory all tests
	$(Q)$(MAKE) --no-print-directory images
	$(Q)tests/run.sh $(TEST_BINS)

check-unit: $(O)/nestbench tests
	$(Q)NB_UNIT_ONLY=1 tests/run.sh $(TEST_BINS)

images: all
	$(Q)images/build-all.sh $(AO)/nbagent

# Fuzzing: the library again with clang, ASan and UBSan (any UB aborts), one
# libFuzzer target per input kind in tests/fuzz/, run by tests/fuzz/run.sh.
FUZZ_CC     ?= clang-14
FO          := $(O)/fuzz
FUZZ_KINDS  := experiment results resultsdir cost cpulog micro numbers trace fio frames armour lava
FUZZ_CFLAGS := $(filter-out -Werror,$(CFLAGS_ALL)) -O1 -fno-omit-frame-pointer \
               -fsanitize=address,undefined -fno-sanitize-recover=all \
               -Wno-string-concatenation -Wno-missing-field-initializers
FUZZ_BINS   := $(FUZZ_KINDS:%=$(FO)/fuzz_%)

$(FO)/%.o: %.c
	$(call say,CC-FUZZ,$@)
	@mkdir -p $(@D)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
$(FO)/bench/manifest.o $(FO)/bench/main.o: $(O)/version.h

$(FO)/libnb.a: $(LIB_SRCS:%.c=$(FO)/%.o)
	$(call say,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(FO)/fuzz_%: $(FO)/tests/fuzz/fuzz_%.o $(FO)/libnb.a
	$(call say,LD-FUZZ,$@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $^ $(HOST_LIBS)

fuzz-build: $(FUZZ_BINS)

fuzz:
	$(Q)scripts/install-deps.sh --fuzz
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)FO=$(FO) tests/fuzz/run.sh

clean:
	$(call say,CLEAN,$(O))
	$(Q)rm -rf $(O)

FORCE:
.PHONY: all deps tests check check-unit images fuzz fuzz-build clean sim-aa scale host-in-a-box lab FORCE
.SECONDARY:

-include $(shell find $(O) -name '*.d' 2>/dev/null)
