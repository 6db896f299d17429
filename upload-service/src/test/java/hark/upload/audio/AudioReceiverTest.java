package hark.upload.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import hark.platform.storage.Storage;
import hark.platform.storage.objects.LocalObjectStore;
import hark.platform.web.ApiException;
import hark.testing.TestAudio;
import hark.upload.UploadProperties;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.NettyDataBuffer;
import org.springframework.core.io.buffer.NettyDataBufferFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import reactor.core.publisher.Flux;

/** The receiver on hand-made part streams, so that where the network splits the body is up to the test. */
class AudioReceiverTest {

    private static final byte[] PNG_HEAD = {
        (byte) 0x89,
        'P',
        'N',
        'G',
        0x0D,
        0x0A,
        0x1A,
        0x0A,
        0,
        0,
        0,
        0x0D,
        'I',
        'H',
        'D',
        'R',
        0,
        0,
        0,
        16,
        0,
        0,
        0,
        16,
        8,
        2,
        0,
        0,
        0
    };

    @TempDir
    Path root;

    Storage storage;
    AudioReceiver receiver;
    // Netty buffers count references, so a buffer the receiver forgets to release shows.
    final NettyDataBufferFactory buffers = new NettyDataBufferFactory(UnpooledByteBufAllocator.DEFAULT);
    final List<DataBuffer> made = new CopyOnWriteArrayList<>();

    @BeforeEach
    void receiver() {
        storage = new Storage(new LocalObjectStore(root.resolve("store")), root.resolve("scratch"));
        // A mock, not the record: the receiver needs only these, whatever else the properties grow.
        UploadProperties props = mock(UploadProperties.class);
        List<String> extensions = List.of("mp3", "wav");
        when(props.maxUploadBytes()).thenReturn(1024L * 1024);
        when(props.maxUploadMb()).thenReturn(1L);
        when(props.extensions()).thenReturn(extensions);
        when(props.accepts(anyString())).thenAnswer(call -> extensions.contains((String) call.getArgument(0)));
        receiver = new AudioReceiver(storage, props);
    }

    @Test
    void aRealWavSplitAtAwkwardPlacesIsStoredWhole() throws IOException {
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(root.resolve("tone.wav"), 1, 8000));

        ReceivedUpload upload = receiver.receive(Flux.concat(
                        FormPartEvent.create("parent_id", "7"),
                        file("tone.wav", slice(wav, 0, 3), slice(wav, 3, 40), slice(wav, 40, wav.length))))
                .block();

        assertThat(upload.field("parent_id")).isEqualTo("7");
        assertThat(upload.extension()).isEqualTo("wav");
        assertThat(upload.bytes()).isEqualTo(wav.length);
        assertThat(upload.key()).isEqualTo("originals/" + upload.jobId() + ".wav");
        assertThat(stored(upload)).as("nothing is visible before the commit").doesNotExist();
        upload.commit();
        assertThat(stored(upload)).hasBinaryContent(wav);
        assertAllReleased();
    }

    @Test
    void anotherFilePartIsReleasedOnceAndTheAudioStillStored() throws IOException {
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(root.resolve("tone.wav"), 1, 8000));
        // Held twice, as a slice of a network buffer shares its count with the slices after it:
        // released once by the receiver, each must still be held once.
        List<DataBuffer> extra = Stream.of("a page of notes ", "and another")
                .map(text -> {
                    DataBuffer buffer = buffers.wrap(text.getBytes(StandardCharsets.UTF_8));
                    ((NettyDataBuffer) buffer).getNativeBuffer().retain();
                    return buffer;
                })
                .toList();
        Flux<PartEvent> notes = FilePartEvent.create(
                        "notes", "notes.txt", MediaType.TEXT_PLAIN, Flux.fromIterable(extra))
                .cast(PartEvent.class);

        ReceivedUpload upload =
                receiver.receive(Flux.concat(notes, file("tone.wav", wav))).block();

        upload.commit();
        assertThat(stored(upload)).hasBinaryContent(wav);
        assertThat(extra)
                .allSatisfy(buffer -> assertThat(
                                ((NettyDataBuffer) buffer).getNativeBuffer().refCnt())
                        .as("released exactly once")
                        .isEqualTo(1));
        assertAllReleased();
    }

    @Test
    void textNamedMp3IsRefusedAndLeavesNothing() {
        byte[] text = "Remember: buy milk, call the plumber, and record the meeting next time.\n"
                .getBytes(StandardCharsets.UTF_8);

        assertRefused(
                file("note.mp3", text),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "The file is not audio Hark can read: its content is text.");
    }

    @Test
    void aPngHeadSplitAcrossBuffersIsRefusedOnceComplete() {
        byte[] png = Arrays.copyOf(PNG_HEAD, 500);

        assertRefused(
                file("x.wav", slice(png, 0, 3), slice(png, 3, 20), slice(png, 20, 500)),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "its content is a PNG image");
    }

    @Test
    void aLongUploadThatIsNotAudioIsStoppedAtItsHeadNotReadToTheEnd() {
        byte[] page = "lorem ipsum dolor sit amet ".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        AtomicBoolean cancelled = new AtomicBoolean();
        Flux<byte[]> endless = Flux.range(0, 1_000_000).map(i -> page).doOnCancel(() -> cancelled.set(true));

        assertRefused(file("talk.mp3", endless), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "its content is text");
        assertThat(cancelled).as("the client's stream is cancelled").isTrue();
    }

    @Test
    void aFileShorterThanAnyRecordingIsRefusedForItsLength() {
        assertRefused(
                file("tiny.mp3", "ID3".getBytes(StandardCharsets.US_ASCII)),
                HttpStatus.UNSUPPORTED_MEDIA_TYPE,
                "The file is not audio Hark can read: it is only 3 bytes long.");
    }

    @Test
    void anEmptyFileIsStillTheEmpty400() {
        assertRefused(file("empty.wav", new byte[0]), HttpStatus.BAD_REQUEST, "The audio file is empty");
    }

    @Test
    void aNameHarkDoesNotTakeIsStillRefusedByItsExtension() throws IOException {
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(root.resolve("tone.wav"), 1, 8000));

        assertRefused(file("tone.txt", wav), HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported file type");
    }

    @Test
    void aSecondAudioFileIs400AndTheFirstIsNotKept() throws IOException {
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(root.resolve("tone.wav"), 1, 8000));

        assertRefused(
                Flux.concat(file("one.wav", wav), file("two.wav", wav)),
                HttpStatus.BAD_REQUEST,
                "An upload has one audio_file, not several");
    }

    @Test
    void aClientThatLeavesMidUploadLeavesNothing() throws IOException {
        byte[] wav = Files.readAllBytes(TestAudio.toneWav(root.resolve("tone.wav"), 1, 8000));
        AtomicBoolean cancelled = new AtomicBoolean();
        // The first buffers, then a client that sends nothing more until it is gone.
        Flux<byte[]> stalled = Flux.concat(Flux.just(slice(wav, 0, 4000)), Flux.<byte[]>never())
                .doOnCancel(() -> cancelled.set(true));

        var receiving = receiver.receive(file("talk.wav", stalled)).subscribe();
        await().atMost(Duration.ofSeconds(10)).until(() -> storedFiles() > 0);
        receiving.dispose();

        assertThat(cancelled).as("the client's stream is cancelled").isTrue();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(this::assertNothingStored);
        assertAllReleased();
    }

    private void assertRefused(Flux<PartEvent> parts, HttpStatus status, String message) {
        assertThatThrownBy(() -> receiver.receive(parts).block()).isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(status);
            assertThat(e.getMessage()).contains(message);
        });
        assertNothingStored();
        assertAllReleased();
    }

    private Flux<PartEvent> file(String name, byte[]... chunks) {
        return file(name, Flux.fromArray(chunks));
    }

    private Flux<PartEvent> file(String name, Flux<byte[]> chunks) {
        Flux<DataBuffer> content = chunks.map(bytes -> {
            DataBuffer buffer = buffers.wrap(bytes.clone());
            made.add(buffer);
            return buffer;
        });
        return FilePartEvent.create(AudioReceiver.FILE_FIELD, name, MediaType.parseMediaType("audio/mpeg"), content)
                .cast(PartEvent.class);
    }

    private Path stored(ReceivedUpload upload) {
        return root.resolve("store").resolve(upload.key());
    }

    private long storedFiles() throws IOException {
        Path store = root.resolve("store");
        if (!Files.exists(store)) {
            return 0;
        }
        try (Stream<Path> all = Files.walk(store)) {
            return all.filter(Files::isRegularFile).count();
        }
    }

    /** No object and no partial file: the store's folder holds nothing but empty folders. */
    private void assertNothingStored() {
        Path store = root.resolve("store");
        if (Files.exists(store)) {
            try (Stream<Path> left = Files.walk(store)) {
                assertThat(left.filter(Files::isRegularFile))
                        .as("files left in the store")
                        .isEmpty();
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private void assertAllReleased() {
        // Netty wraps an empty array as its shared empty buffer, which is never released.
        assertThat(made)
                .filteredOn(buffer -> buffer.capacity() > 0)
                .allSatisfy(buffer -> assertThat(
                                ((NettyDataBuffer) buffer).getNativeBuffer().refCnt())
                        .as("reference count")
                        .isZero());
    }

    private static byte[] slice(byte[] bytes, int from, int to) {
        return Arrays.copyOfRange(bytes, from, to);
    }
}
