package org.elves.center;

import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitAdmin;

import java.util.List;

/**
 * A routes test's own names in the shared RabbitMQ: its component queues ({@code prefix + id}) and
 * exchange ({@code prefix + "elves"}), deleted when it ends so that no test leaves durable queues behind.
 */
public final class TestNamespace {
    private TestNamespace() {
    }

    public static void delete(String prefix, List<String> queues) {
        CachingConnectionFactory factory = new CachingConnectionFactory("127.0.0.1", 5672);
        try {
            RabbitAdmin admin = new RabbitAdmin(factory);
            queues.forEach(q -> admin.deleteQueue(prefix + q));
            admin.deleteExchange(prefix + "elves");
        } finally {
            factory.destroy();
        }
    }
}
