package dev.conversa.session.sessions;

import static dev.conversa.events.session.SessionStatus.BANNED;
import static dev.conversa.events.session.SessionStatus.CONNECTED;
import static dev.conversa.events.session.SessionStatus.CONNECTING;
import static dev.conversa.events.session.SessionStatus.DISCONNECTED;
import static dev.conversa.events.session.SessionStatus.FAILED;
import static dev.conversa.events.session.SessionStatus.INACTIVE;
import static dev.conversa.events.session.SessionStatus.LOGGED_OUT;
import static dev.conversa.events.session.SessionStatus.PENDING;
import static dev.conversa.events.session.SessionStatus.QR_READY;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import dev.conversa.events.EventCatalog;
import dev.conversa.events.EventDescriptor;
import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;

/** The transition table on its own: which moves a session may make, and which event each arrival emits. */
class SessionTransitionsTest {

    static Stream<Arguments> movesOfTheLifecycle() {
        return Stream.of(
                Arguments.of(PENDING, QR_READY), Arguments.of(PENDING, CONNECTING),
                Arguments.of(QR_READY, CONNECTING), Arguments.of(QR_READY, PENDING),
                Arguments.of(CONNECTING, CONNECTED), Arguments.of(CONNECTING, QR_READY),
                Arguments.of(CONNECTING, DISCONNECTED), Arguments.of(CONNECTING, LOGGED_OUT),
                Arguments.of(CONNECTING, BANNED), Arguments.of(CONNECTING, FAILED),
                Arguments.of(CONNECTED, DISCONNECTED), Arguments.of(CONNECTED, LOGGED_OUT),
                Arguments.of(CONNECTED, BANNED), Arguments.of(CONNECTED, FAILED), Arguments.of(CONNECTED, CONNECTING),
                Arguments.of(DISCONNECTED, CONNECTING), Arguments.of(DISCONNECTED, FAILED),
                Arguments.of(DISCONNECTED, INACTIVE), Arguments.of(DISCONNECTED, LOGGED_OUT),
                Arguments.of(LOGGED_OUT, QR_READY), Arguments.of(LOGGED_OUT, CONNECTING),
                Arguments.of(FAILED, CONNECTING), Arguments.of(BANNED, CONNECTING),
                Arguments.of(INACTIVE, CONNECTING), Arguments.of(INACTIVE, PENDING));
    }

    static Stream<Arguments> movesTheLifecycleRefuses() {
        return Stream.of(
                // nothing connects without going through connecting
                Arguments.of(PENDING, CONNECTED), Arguments.of(QR_READY, CONNECTED),
                Arguments.of(DISCONNECTED, CONNECTED), Arguments.of(FAILED, CONNECTED),
                Arguments.of(INACTIVE, CONNECTED), Arguments.of(BANNED, CONNECTED),
                // a live session is never cleaned up, nor sent back to linking without losing the connection first
                Arguments.of(CONNECTED, INACTIVE), Arguments.of(CONNECTED, PENDING), Arguments.of(CONNECTED, QR_READY),
                // terminal outcomes are reported by the transport while it is connecting or connected
                Arguments.of(PENDING, LOGGED_OUT), Arguments.of(PENDING, BANNED), Arguments.of(PENDING, DISCONNECTED),
                Arguments.of(BANNED, QR_READY), Arguments.of(BANNED, PENDING), Arguments.of(LOGGED_OUT, BANNED),
                Arguments.of(INACTIVE, QR_READY), Arguments.of(FAILED, DISCONNECTED));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("movesOfTheLifecycle")
    void allowsTheMovesOfTheLifecycle(SessionStatus from, SessionStatus to) {
        assertThat(SessionTransitions.allowed(from, to)).isTrue();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @MethodSource("movesTheLifecycleRefuses")
    void refusesMovesThatSkipAStepOrReviveATerminalStatus(SessionStatus from, SessionStatus to) {
        assertThat(SessionTransitions.allowed(from, to)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SessionStatus.class)
    void noStatusMovesToItself(SessionStatus status) {
        assertThat(SessionTransitions.allowed(status, status)).isFalse();
    }

    @ParameterizedTest
    @EnumSource(SessionStatus.class)
    void everyStatusButConnectedAndInactiveItselfMayBecomeInactive(SessionStatus from) {
        assertThat(SessionTransitions.allowed(from, INACTIVE)).isEqualTo(from != CONNECTED && from != INACTIVE);
    }

    @Test
    void everyStatusCanBeLeftAndReachedFromAnother() {
        for (SessionStatus status : SessionStatus.values()) {
            assertThat(SessionTransitions.targets(status)).as("targets of %s", status).isNotEmpty();
            boolean reachable = Arrays.stream(SessionStatus.values())
                    .anyMatch(from -> SessionTransitions.allowed(from, status));
            assertThat(reachable).as("%s reachable", status).isTrue();
        }
    }

    @Test
    void everyArrivalEmitsItsOwnStateChangedTypeOfTheCatalog() {
        for (SessionStatus status : SessionStatus.values()) {
            String type = SessionTransitions.eventType(status);
            EventDescriptor descriptor = EventCatalog.byType(type).orElseThrow(() -> new AssertionError(type));

            assertThat(descriptor.topic()).as(type).isEqualTo(Topics.WA_SESSION_EVENTS);
            assertThat(descriptor.payloadType()).as(type).isEqualTo(SessionStateChanged.class);
        }
        assertThat(Arrays.stream(SessionStatus.values()).map(SessionTransitions::eventType).distinct())
                .hasSize(SessionStatus.values().length)
                .doesNotContain(EventTypes.SESSION_CREATED, EventTypes.SESSION_DELETED);
        assertThat(SessionTransitions.eventType(CONNECTED)).isEqualTo(EventTypes.SESSION_CONNECTED);
        assertThat(SessionTransitions.eventType(BANNED)).isEqualTo(EventTypes.SESSION_BANNED);
        assertThat(SessionTransitions.eventType(INACTIVE)).isEqualTo(EventTypes.SESSION_INACTIVE);
    }
}
