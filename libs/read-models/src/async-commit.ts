/**
 * A projection's batch commits without waiting for its WAL to reach the disk (the wait was most of the
 * projection lag under load). Safe: rows and checkpoint are one transaction, so a database crash can only lose
 * the last batches whole, checkpoint included; the runner then finds the checkpoint behind where it left it
 * (CheckpointMovedError) and applies them again from the log, which lost nothing. Visibility is immediate.
 */
export const ASYNC_COMMIT = 'SET LOCAL synchronous_commit TO off';
