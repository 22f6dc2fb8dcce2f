package dev.conversa.message.archive;

/** One archival run: how many messages moved, in how many batches. */
record ArchiveResult(long moved, int batches) {
}
