package dev.conversa.message.archive;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on scheduling for the archival job ({@link MessageArchiver}). */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class ArchiveConfiguration {
}
