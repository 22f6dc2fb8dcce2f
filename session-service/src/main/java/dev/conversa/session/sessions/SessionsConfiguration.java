package dev.conversa.session.sessions;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on scheduling for the cleanup of inactive sessions ({@link InactiveSessionCleanup}). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class SessionsConfiguration {
}
