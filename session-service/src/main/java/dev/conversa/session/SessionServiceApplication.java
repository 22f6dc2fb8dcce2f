package dev.conversa.session;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Live WhatsApp sessions: lifecycle, QR and pairing codes, transports, pacing, inbound and outbound events. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SessionServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(SessionServiceApplication.class, args);
    }
}
