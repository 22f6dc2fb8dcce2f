package dev.conversa.events.message;

import java.util.Objects;

/**
 * The button or list row a contact chose in an interactive or template message.
 *
 * @param id    the id we gave the button or row
 * @param title the text the contact saw
 */
public record ButtonReply(String id, String title) {

    public ButtonReply {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(title, "title");
    }
}
