package dev.conversa.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * A service started whole on a random port against real servers: a fresh PostgreSQL database for the test class,
 * a Redis database of its own, the JVM's KRaft Kafka broker and a test JWKS (mint tokens with {@link TestJwts}).
 * Inject {@code WebTestClient} and, to look at the database, {@link RealServers}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
@ActiveProfiles("test")
public @interface ConversaIntegrationTest {
}
