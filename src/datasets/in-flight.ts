/**
 * Temporary directories of publishes running in this process, so that a cleanup started while
 * they run leaves them alone (other processes are recognised by the pid in the directory name).
 */
export const inFlightTempDirs = new Set<string>();
