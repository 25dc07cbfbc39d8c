import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes one dead letter, as the pipeline's parse stage leaves them, to sluice.dlq on the broker
 * given as the argument: {@code java -cp 'sluice-cli/target/lib/*' DeadLetter.java host:port}.
 */
public class DeadLetter {
  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> r =
          new ProducerRecord<>(
              "sluice.dlq",
              "u1",
              "{\"id\": \"u1\", \"email\": \"ada@example.org\", \"dob\": \"1990-01-02\","
                  + " \"phone\": \"+351 912 345 678\", \"post_code\": \"1000-001\","
                  + " \"registered_date\": \"not a date\", \"note\": \""
                  + "a value too long for one line ".repeat(12)
                  + "\"}");
      header(r, "sluice.source.topic", "users_created");
      header(r, "sluice.stage", "parse");
      header(r, "sluice.error", "registered_date: not an ISO-8601 instant");
      producer.send(r).get();
    }
  }

  private static void header(ProducerRecord<String, String> r, String key, String value) {
    r.headers().add(key, value.getBytes(StandardCharsets.UTF_8));
  }
}
