/* privs.c: dropping privileges after the capture is open, with libcap-ng (as tcpdump does). */
#include <cap-ng.h>
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "privs.h"

static int become(const char *user, char *err)
{
	struct passwd *pw;
	int r;

	errno = 0;
	pw = getpwnam(user);
	if (pw == NULL) {
		snprintf(err, PRIVS_ERRLEN, "-Z %.64s: no such user%s%s", user, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		return 0;
	}
	capng_clear(CAPNG_SELECT_BOTH);
	/* its supplementary groups, then gid and uid, no capability kept, none in the bounding set */
	r = capng_change_id((int)pw->pw_uid, (int)pw->pw_gid, CAPNG_INIT_SUPP_GRP | CAPNG_CLEAR_BOUNDING);
	if (r != 0) {
		snprintf(err, PRIVS_ERRLEN, "-Z %.64s: could not change to uid %lu gid %lu (libcap-ng: %d)%s%s", user,
			 (unsigned long)pw->pw_uid, (unsigned long)pw->pw_gid, r, errno ? ": " : "",
			 errno ? strerror(errno) : "");
		return 0;
	}
	return 1;
}

int privs_drop(const char *user, int keep_dac, char *err)
{
	if (user != NULL)
		return become(user, err);
	if (capng_get_caps_process() != 0 || capng_have_capabilities(CAPNG_SELECT_CAPS) == CAPNG_NONE)
		return 1;
	capng_clear(CAPNG_SELECT_BOTH);
	if (keep_dac)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_DAC_OVERRIDE);
	if (capng_apply(CAPNG_SELECT_BOTH) != 0) {
		/* without CAP_SETPCAP the bounding set stays: drop what we hold all the same */
		if (capng_apply(CAPNG_SELECT_CAPS) != 0) {
			snprintf(err, PRIVS_ERRLEN, "could not drop capabilities after opening the capture");
			return 0;
		}
	}
	return 1;
}
