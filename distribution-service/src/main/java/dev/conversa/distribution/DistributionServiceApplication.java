package dev.conversa.distribution;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Agents and the assignment of conversations: round robin with capacity, waiting queue, bot escalation. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DistributionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(DistributionServiceApplication.class, args);
    }
}
