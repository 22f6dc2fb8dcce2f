package dev.conversa.campaign.contacts;

/** A file that cannot be read on: the import stops and is marked failed with the line and this message. */
class CsvFormatException extends RuntimeException {

    private final long line;

    CsvFormatException(long line, String message) {
        super("line " + line + ": " + message);
        this.line = line;
    }

    long line() {
        return line;
    }
}
