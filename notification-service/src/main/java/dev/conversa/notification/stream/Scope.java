package dev.conversa.notification.stream;

/** Who of a tenant may see an event, besides admins and supervisors who see them all. */
public enum Scope {
    /** A conversation's or message's event: also the agents it names (the assignee, before and after). */
    CONVERSATION("c"),
    /** Sessions, campaigns, contact imports: admins and supervisors only. */
    MANAGEMENT("m");

    private final String code;

    Scope(String code) {
        this.code = code;
    }

    /** How it is stored in a replay log entry. */
    public String code() {
        return code;
    }

    public static Scope ofCode(String code) {
        return "m".equals(code) ? MANAGEMENT : CONVERSATION;
    }
}
