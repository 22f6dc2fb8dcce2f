package dev.conversa.events.message;

import org.jspecify.annotations.Nullable;

/** A location shared in a message (WGS 84 degrees), with the place's name and address when the sender gave them. */
public record Location(double latitude, double longitude, @Nullable String name, @Nullable String address) {
}
