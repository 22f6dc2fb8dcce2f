package dev.conversa.session.outbound;

/**
 * Told how each send of a session went, so the runtime can spot a zombie: a session that looks connected but whose
 * sends go unanswered.
 */
public interface SendObserver {

    /** WhatsApp answered the send (accepted or refused it). */
    void answered();

    /** The send got no answer: a timeout or a broken connection; its outcome is unknown. */
    void unanswered(Throwable error);

    SendObserver NONE = new SendObserver() {
        @Override
        public void answered() {
        }

        @Override
        public void unanswered(Throwable error) {
        }
    };
}
