#ifndef AVATAR_SITE_CFILESYSTEM_H
#define AVATAR_SITE_CFILESYSTEM_H

/// Atomically swaps two existing paths (Linux renameat2 with RENAME_EXCHANGE).
/// Returns 0, or -1 with errno set (ENOSYS or EINVAL where the kernel or file system cannot).
int cfs_exchange_paths(const char *first, const char *second);

/// Writes back every dirty file of the file system holding `descriptor` (Linux syncfs; a
/// whole-machine sync elsewhere). Returns 0, or -1 with errno set.
int cfs_sync_file_system(int descriptor);

#endif
