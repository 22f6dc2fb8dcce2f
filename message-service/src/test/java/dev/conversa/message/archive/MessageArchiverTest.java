package dev.conversa.message.archive;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Archival is off unless {@code after-days} is set: nothing is scheduled and a run moves nothing. */
class MessageArchiverTest {

    @Test
    void archivalIsOffByDefault() {
        MessageArchiver archiver = new MessageArchiver(null, null, new ArchiveProperties(0, "0 0 3 * * *", 1000));
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        archiver.configureTasks(registrar);

        assertThat(registrar.getCronTaskList()).isEmpty();
        assertThat(archiver.runExclusively().block()).isEmpty();
    }

    @Test
    void archivalWithAfterDaysRunsOnItsCron() {
        MessageArchiver archiver = new MessageArchiver(null, null, new ArchiveProperties(90, "0 0 3 * * *", 1000));
        ScheduledTaskRegistrar registrar = new ScheduledTaskRegistrar();

        archiver.configureTasks(registrar);

        assertThat(registrar.getCronTaskList()).singleElement()
                .satisfies(task -> assertThat(task.getExpression()).isEqualTo("0 0 3 * * *"));
    }
}
