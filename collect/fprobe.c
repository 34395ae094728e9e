// SPDX-License-Identifier: GPL-2.0
/* fprobe events through dynamic_events: see collect/fprobe.h. */
#include <errno.h>
#include <stdio.h>

#include <tracefs.h>

#include "collect/fprobe.h"

int nb_fprobe_add(const char *group, const char *event, const char *func, int ret)
{
	char line[256];

	snprintf(line, sizeof(line), "f:%s/%s %s%s\n", group, event, func, ret ? "%return" : "");
	return tracefs_instance_file_append(NULL, "dynamic_events", line) < 0 ? -ENOENT : 0;
}

void nb_fprobe_del(const char *group, const char *event)
{
	char line[160];

	snprintf(line, sizeof(line), "-:%s/%s\n", group, event);
	tracefs_instance_file_append(NULL, "dynamic_events", line);
}
