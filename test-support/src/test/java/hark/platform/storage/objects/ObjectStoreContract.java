package hark.platform.storage.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import hark.platform.storage.Storage;
import hark.platform.storage.WorkSweeper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link ObjectStore} promises, checked the same way on the folder and on a real S3 API
 * server. A subclass opens the store and can look behind its back (unfinished uploads, ages).
 */
abstract class ObjectStoreContract {

    static final int MB = 1024 * 1024;

    @TempDir
    Path scratch;

    ObjectStore store;

    abstract ObjectStore openStore() throws Exception;

    /** The size at which a streamed upload sends a part (and so the most it may hold in memory). */
    abstract int partSize();

    /** Nothing half-written is left anywhere: no partial file, no unfinished multipart upload. */
    abstract void assertNoUnfinishedUploads();

    /** Makes the object look last written at {@code when}. */
    abstract void setLastModified(String key, Instant when);

    /** Called after each write to a streamed upload. */
    void assertMemoryHeldBy(ObjectUpload upload) {}

    @BeforeEach
    void open() throws Exception {
        store = openStore();
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void aFilePutIsFetchedBackByteForByte() throws IOException {
        byte[] content = bytes(2 * partSize() + 12345, 1);
        Path file = Files.write(scratch.resolve("upload.wav"), content);
        String key = "originals/" + UUID.randomUUID() + ".wav";

        store.put(key, file);
        Path fetched = scratch.resolve("stage/input.wav");
        store.fetch(key, fetched);

        assertThat(Files.readAllBytes(fetched)).isEqualTo(content);
        assertThat(store.size(key)).contains((long) content.length);
        assertThat(store.exists(key)).isTrue();
        assertThat(file).exists().hasBinaryContent(content);
    }

    @Test
    void aSmallFileIsPutInOneGo() throws IOException {
        Path file = Files.write(scratch.resolve("small.wav"), bytes(1000, 2));
        store.put("originals/small.wav", file);

        assertThat(store.readSmall("originals/small.wav"))
                .hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes(1000, 2)));
    }

    @Test
    void aFetchReplacesWhatTheScratchFileHeld() throws IOException {
        store.writeSmall("work/job/prepared.mp3", bytes(100, 3));
        Path target = Files.write(scratch.resolve("prepared.mp3"), bytes(5000, 4));

        store.fetch("work/job/prepared.mp3", target);

        assertThat(target).hasBinaryContent(bytes(100, 3));
    }

    @Test
    void aPutReplacesTheObjectUnderItsKey() throws IOException {
        store.writeSmall("texts/1/job/transcript.txt", "first".getBytes(StandardCharsets.UTF_8));
        store.put("texts/1/job/transcript.txt", Files.write(scratch.resolve("t"), "second".getBytes()));

        assertThat(store.readSmall("texts/1/job/transcript.txt"))
                .hasValueSatisfying(b -> assertThat(new String(b)).isEqualTo("second"));
    }

    @Test
    void aMissingObjectIsToldApartFromAFailure() {
        String key = "originals/" + UUID.randomUUID() + ".mp3";

        assertThat(store.size(key)).isEmpty();
        assertThat(store.exists(key)).isFalse();
        assertThat(store.readSmall(key)).isEmpty();
        assertThatThrownBy(() -> store.fetch(key, scratch.resolve("x")))
                .isInstanceOf(MissingObjectException.class)
                .hasMessageContaining(key);
        assertThatThrownBy(() -> store.open(key, 0, 10)).isInstanceOf(MissingObjectException.class);
        assertThat(scratch.resolve("x")).doesNotExist();
    }

    @Test
    void aStreamOfSmallWritesLandsAsOneObject() throws Exception {
        String key = "originals/" + UUID.randomUUID() + ".wav";
        long total = 12L * MB + 777;
        MessageDigest sent = MessageDigest.getInstance("SHA-256");
        Random random = new Random(7);
        long written = 0;
        try (ObjectUpload upload = store.upload(key)) {
            while (written < total) {
                byte[] piece = new byte[(int) Math.min(total - written, 1 + random.nextInt(16 * 1024))];
                random.nextBytes(piece);
                upload.write(piece);
                sent.update(piece);
                written += piece.length;
                assertMemoryHeldBy(upload);
            }
            assertThat(store.exists(key)).as("not visible before the commit").isFalse();
            assertThat(upload.commit()).isEqualTo(total);
        }

        assertThat(store.size(key)).contains(total);
        assertThat(sha256(store.open(key))).isEqualTo(sent.digest());
        assertNoUnfinishedUploads();
    }

    @Test
    void anEmptyUploadIsAnEmptyObject() throws IOException {
        try (ObjectUpload upload = store.upload("incoming/empty")) {
            assertThat(upload.commit()).isZero();
        }

        assertThat(store.size("incoming/empty")).contains(0L);
        try (InputStream in = store.open("incoming/empty")) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void anAbortedUploadLeavesNothing() throws IOException {
        String key = "originals/aborted.wav";
        ObjectUpload upload = store.upload(key);
        upload.write(bytes(partSize() + MB, 5));

        upload.abort();
        upload.abort();

        assertThat(store.exists(key)).isFalse();
        assertThat(store.list("")).isEmpty();
        assertNoUnfinishedUploads();
        assertThatThrownBy(() -> upload.write(1)).isInstanceOf(IOException.class);
        assertThatThrownBy(upload::commit).isInstanceOf(IOException.class);
    }

    @Test
    void anUploadThatFailsMidStreamLeavesNothing() {
        String key = "originals/refused.wav";
        InputStream body = new InputStream() {
            private long sent;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (sent > partSize() + 3L * MB) {
                    throw new IOException("Connection reset by peer");
                }
                Arrays.fill(buffer, offset, offset + length, (byte) 7);
                sent += length;
                return length;
            }
        };

        assertThatThrownBy(() -> {
                    try (ObjectUpload upload = store.upload(key)) {
                        body.transferTo(upload);
                        upload.commit();
                    }
                })
                .hasMessage("Connection reset by peer");

        assertThat(store.exists(key)).isFalse();
        assertNoUnfinishedUploads();
    }

    @Test
    void aCommittedUploadTakesNoMoreBytes() throws IOException {
        ObjectUpload upload = store.upload("work/j/done");
        upload.write(bytes(10, 6));
        upload.commit();

        assertThatThrownBy(() -> upload.write(1)).isInstanceOf(IOException.class);
        upload.close();
        assertThat(store.size("work/j/done")).contains(10L);
    }

    @Test
    void aRangeReadGivesExactlyTheBytesAskedFor() throws IOException {
        byte[] content = bytes(partSize() + 2 * MB, 8);
        String key = "originals/ranged.mp3";
        try (ObjectUpload upload = store.upload(key)) {
            upload.write(content);
            upload.commit();
        }

        assertThat(read(key, 5, 9)).isEqualTo(Arrays.copyOfRange(content, 5, 10));
        assertThat(read(key, 0, 0)).isEqualTo(Arrays.copyOfRange(content, 0, 1));
        int boundary = partSize();
        assertThat(read(key, boundary - 3, boundary + 2))
                .as("across the parts")
                .isEqualTo(Arrays.copyOfRange(content, boundary - 3, boundary + 3));
        assertThat(read(key, content.length - 3, Long.MAX_VALUE))
                .isEqualTo(Arrays.copyOfRange(content, content.length - 3, content.length));
        assertThat(read(key, content.length - 2, content.length + 100L))
                .as("clamped to the end")
                .isEqualTo(Arrays.copyOfRange(content, content.length - 2, content.length));
        assertThatThrownBy(() -> store.open(key, content.length, content.length + 10L))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStreamClosedEarlyDoesNotReadTheRest() throws IOException {
        String key = "originals/long.wav";
        store.put(key, Files.write(scratch.resolve("long.wav"), bytes(3 * partSize(), 9)));

        long started = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            try (InputStream in = store.open(key)) {
                assertThat(in.readNBytes(10)).hasSize(10);
            }
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        assertThat(read(key, 0, 3)).hasSize(4);
    }

    @Test
    void deleteRemovesOneObjectAndIsQuietWhenThereIsNone() {
        store.writeSmall("originals/a.wav", bytes(10, 1));
        store.writeSmall("originals/b.wav", bytes(10, 1));

        store.delete("originals/a.wav");
        store.delete("originals/a.wav");
        store.delete("originals/never.wav");

        assertThat(store.exists("originals/a.wav")).isFalse();
        assertThat(store.exists("originals/b.wav")).isTrue();
    }

    @Test
    void deletePrefixRemovesOneFolderAndNoNeighbourThatSharesItsName() {
        store.writeSmall("texts/12/job-a/chunk-00000.json", bytes(10, 1));
        store.writeSmall("texts/12/job-b/transcript.txt", bytes(10, 1));
        store.writeSmall("texts/123/job-c/transcript.txt", bytes(10, 1));

        assertThat(store.deletePrefix("texts/12/")).isEqualTo(2);

        assertThat(keys(store.list("texts/"))).containsExactly("texts/123/job-c/transcript.txt");
        assertThat(store.deletePrefix("texts/12/")).isZero();
        assertThatThrownBy(() -> store.deletePrefix("texts/12")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aListingGivesEveryObjectUnderThePrefixWithItsSizeAndAge() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        store.writeSmall("work/job-1/prepared.mp3", bytes(100, 1));
        store.writeSmall("work/job-1/chunk-0000.mp3", bytes(40, 1));
        store.writeSmall("work/job-2/chunk-0000.mp3", bytes(7, 1));
        store.writeSmall("originals/job-1.mp3", bytes(1, 1));
        Instant old = Instant.parse("2024-01-02T03:04:05Z");
        setLastModified("work/job-2/chunk-0000.mp3", old);

        List<StoredObject> work = store.list("work/");

        assertThat(work)
                .extracting(StoredObject::key, StoredObject::size)
                .containsExactlyInAnyOrder(
                        tuple("work/job-1/prepared.mp3", 100L),
                        tuple("work/job-1/chunk-0000.mp3", 40L),
                        tuple("work/job-2/chunk-0000.mp3", 7L));
        assertThat(work)
                .filteredOn(o -> o.key().startsWith("work/job-1/"))
                .allSatisfy(o -> assertThat(o.lastModified())
                        .isBetween(before.minusSeconds(2), Instant.now().plusSeconds(2)));
        assertThat(work)
                .filteredOn(o -> o.key().startsWith("work/job-2/"))
                .singleElement()
                .satisfies(o -> assertThat(o.lastModified()).isEqualTo(old));
        assertThat(store.list("")).hasSize(4);
        assertThat(store.list("nothing/")).isEmpty();
    }

    @Test
    void smallObjectsAreWrittenAndReadWhole() {
        byte[] text = "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8);

        store.writeSmall("texts/7/job/chunk-00001.json", text);

        assertThat(store.readSmall("texts/7/job/chunk-00001.json")).hasValue(text);
    }

    @Test
    void keysThatAreNotBuiltFromIdsAreRefused() {
        for (String key : List.of(
                "../etc/passwd",
                "work/../../etc/passwd",
                "/originals/x.wav",
                "originals//x.wav",
                "originals/./x.wav",
                "originals/.hidden",
                "originals/x..wav",
                "originals/",
                "originals/x y.wav",
                "originals\\x.wav",
                "")) {
            assertThatThrownBy(() -> store.writeSmall(key, new byte[1]))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.upload(key)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.open(key, 0, 1)).as(key).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.fetch(key, scratch.resolve("f")))
                    .as(key)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> store.delete(key)).as(key).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> store.list("../")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> store.deletePrefix("/")).isInstanceOf(IllegalArgumentException.class);
        assertThat(store.list("")).isEmpty();
    }

    @Test
    void uploadsLeftUnfinishedByACrashAreDiscardedOnceOld() throws IOException {
        ObjectUpload crashed = store.upload("incoming/crashed");
        crashed.write(bytes(partSize() + 10, 1));

        assertThat(store.discardUnfinishedUploads(Instant.now().minus(Duration.ofHours(1))))
                .as("still young")
                .isZero();
        assertThat(store.discardUnfinishedUploads(Instant.now().plus(Duration.ofMinutes(1))))
                .isEqualTo(1);

        assertNoUnfinishedUploads();
        crashed.abort();
        assertThat(store.exists("incoming/crashed")).isFalse();
    }

    @Test
    void theWorkSweeperRemovesAJobLeftByACrashAndKeepsOneStillWorkedOn() {
        Storage storage = new Storage(store, scratch.resolve("scratch"));
        UUID crashed = UUID.randomUUID();
        UUID working = UUID.randomUUID();
        String original = Storage.original(UUID.randomUUID(), "wav");
        Instant yesterday = Instant.now().minus(Duration.ofHours(25));
        for (String key : List.of(
                Storage.work(crashed, "prepared.mp3"),
                Storage.work(crashed, "chunk-0000.mp3"),
                Storage.work(working, "prepared.mp3"),
                Storage.work(working, "chunk-0000.mp3"),
                original)) {
            store.writeSmall(key, new byte[] {1});
        }
        setLastModified(Storage.work(crashed, "prepared.mp3"), yesterday);
        setLastModified(Storage.work(crashed, "chunk-0000.mp3"), yesterday);
        // Prepared yesterday, a chunk of it stored just now: the job is still moving.
        setLastModified(Storage.work(working, "prepared.mp3"), yesterday);
        setLastModified(original, yesterday);

        assertThat(new WorkSweeper(storage, Duration.ofHours(24)).sweep()).isEqualTo(1);

        assertThat(store.list(Storage.work(crashed, ""))).isEmpty();
        assertThat(store.list(Storage.work(working, ""))).hasSize(2);
        assertThat(store.exists(original))
                .as("originals are the retention's to remove")
                .isTrue();
    }

    @Test
    void aReachableStoreSaysSo() {
        store.checkReachable();
        assertThat(store.location()).isNotBlank();
    }

    byte[] read(String key, long from, long toInclusive) throws IOException {
        try (InputStream in = store.open(key, from, toInclusive)) {
            return in.readAllBytes();
        }
    }

    static byte[] bytes(int length, long seed) {
        byte[] bytes = new byte[length];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static List<String> keys(List<StoredObject> objects) {
        return objects.stream().map(StoredObject::key).toList();
    }

    static byte[] sha256(InputStream in) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (in) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return digest.digest();
    }
}
