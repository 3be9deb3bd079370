package io.tttv2.cli.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tttv2.cli.UserError;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class TurnReaderTest {

    @Test
    void linesAsBufferedReaderGivesThem() throws IOException {
        TurnReader in = new TurnReader(new StringReader("one\r\ntwo\n\nlast"));
        assertEquals("one", in.readLine());
        assertEquals("two", in.readLine());
        assertEquals("", in.readLine());
        assertEquals("last", in.readLine());
        assertNull(in.readLine());
    }

    @Test
    void anEndlessLineIsRefusedAtTheLimitNotWhenMemoryRunsOut() {
        Reader endless = new Reader() {     // what `tttv2 chat < /dev/zero` sends
            @Override
            public int read(char[] buffer, int offset, int length) {
                java.util.Arrays.fill(buffer, offset, offset + length, '\0');
                return length;
            }

            @Override
            public void close() {
            }
        };
        TurnReader in = new TurnReader(endless);
        UserError e = assertThrows(UserError.class, in::readLine);
        assertEquals("stdin: line 1 is longer than 1000000 characters, the limit of one chat turn", e.getMessage());
    }
}
