package dev.conversa.bench;

/**
 * How a benchmark's {@code main} ends: the JVM exits once the run is over, 0 if it completed and 1 if it failed. The
 * benchmarks host a Kafka broker and other non-daemon threads, so a run that threw used to leave its JVM running,
 * broker and all, after the stack trace.
 */
final class Exit {

    /** A benchmark run. */
    @FunctionalInterface
    interface Run {
        void run() throws Exception;
    }

    private Exit() {
    }

    static void after(Run run) {
        int status = 0;
        try {
            run.run();
        }
        catch (Throwable failure) {
            failure.printStackTrace();
            status = 1;
        }
        System.exit(status);
    }
}
