/**
 * True when a process with this pid exists on this machine. EPERM means it exists but belongs
 * to another user; only ESRCH means it is gone.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
