package org.elves.standalone;

import de.bwaldvogel.mongo.bson.BinData;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Decimal128;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.MaxKey;
import de.bwaldvogel.mongo.bson.MinKey;
import de.bwaldvogel.mongo.bson.ObjectId;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.elves.standalone.PageBytes.readBack;
import static org.elves.standalone.PageBytes.written;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Documents are stored as BSON and read back equal; what BSON cannot carry, and what older files hold, go H2's way. */
class DocumentValueTypeTest {
    private final DocumentValueType documents = new DocumentValueType();

    @Test
    void aDocumentOfEveryBsonTypeIsWrittenAsBsonAndReadBackEqual() {
        Document nested = new Document("phase", "sent").append("at", 1796522353440L);
        Document doc = new Document("_id", "A100000000000001")
                .append("int", 7).append("long", 1L << 40).append("double", 2.5).append("true", true).append("null", null)
                .append("text", "caf\u00e9 \ud83d\ude00").append("empty", "").append("date", Instant.ofEpochMilli(1796522353440L))
                .append("oid", new ObjectId()).append("bin", new BinData(new byte[]{1, 2, 3})).append("uuid", UUID.randomUUID())
                .append("decimal", new Decimal128(new BigDecimal("12.345"))).append("ts", new BsonTimestamp(42L))
                .append("min", MinKey.getInstance()).append("max", MaxKey.getInstance())
                .append("phases", new ArrayList<>(List.of(nested, nested))).append("mixed", new ArrayList<>(List.of(1, "two", 3.0)))
                .append("inner", new Document("deeper", new Document("x", 1)));

        byte[] bytes = written(documents, doc);
        assertEquals(DocumentValueType.BSON, bytes[0], "tagged as BSON");
        assertEquals(doc, readBack(documents, bytes));
    }

    @Test
    void aValueBsonCannotCarryIsWrittenAsH2WritesIt() {
        Document odd = new Document("_id", 1).append("when", new java.util.Date(0));
        byte[] ours = written(documents, odd);
        assertArrayEquals(written(new ObjectDataType(), odd), ours, "H2's bytes");
        assertEquals(19, ours[0], "H2's tag of a Java-serialized value");
        assertEquals(odd, readBack(documents, ours));
        // not a document at all
        byte[] text = written(documents, "a string");
        assertEquals("a string", readBack(documents, text));
    }

    @Test
    void documentsOfAFileWrittenBeforeAreReadAsH2ReadsThem() {
        Document old = new Document("_id", "A100000000000001").append("flag", 1).append("phases", new ArrayList<>(List.of("sent")));
        byte[] javaSerialized = written(new ObjectDataType(), old);
        assertEquals(old, readBack(documents, javaSerialized));
    }
}
