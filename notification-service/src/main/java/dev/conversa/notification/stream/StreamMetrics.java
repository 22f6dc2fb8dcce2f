package dev.conversa.notification.stream;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/** {@code conversa.sse.clients}: the SSE clients connected to this instance. */
@Component
class StreamMetrics implements MeterBinder {

    private final EventHub hub;

    StreamMetrics(EventHub hub) {
        this.hub = hub;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("conversa.sse.clients", hub, EventHub::subscriberCount)
                .description("SSE clients connected to this instance")
                .register(registry);
    }
}
