/* privs.h: what the process may still do once the capture is open: -Z's user, and no capability it no longer needs. */
#ifndef SYNACK_PRIVS_H
#define SYNACK_PRIVS_H

/* Room for a message of ours. */
#define PRIVS_ERRLEN 512

/*
 * Call once the source and -w's first file are open. With user (-Z), become
 * that user (its groups, then its gid and uid) with no capabilities, as
 * tcpdump's -Z does; else, when running with capabilities (root, or file
 * capabilities), drop every one, keeping CAP_DAC_OVERRIDE only when keep_dac
 * (-w's files still to be renamed into place or created by a rotation).
 * 1 done (or nothing to drop); 0 on failure, err says why (the caller stops:
 * a -Z that did not happen is not to be ignored).
 */
int privs_drop(const char *user, int keep_dac, char *err);

#endif
