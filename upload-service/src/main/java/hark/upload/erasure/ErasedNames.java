package hark.upload.erasure;

import hark.platform.PlatformConfiguration;
import hark.platform.kafka.EventRecords;
import hark.schemas.AccountViewCleared;
import hark.schemas.EventCodec;
import hark.schemas.Topics;
import hark.upload.account.Accounts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/**
 * Frees the name of an erased account once the status service shows nothing of it: until then a
 * newcomer under the same name could be shown what the status view had not yet cleared.
 */
@Component
public class ErasedNames {

    private static final Logger log = LoggerFactory.getLogger(ErasedNames.class);

    private final EventCodec codec;
    private final Accounts accounts;

    public ErasedNames(EventCodec codec, Accounts accounts) {
        this.codec = codec;
        this.accounts = accounts;
    }

    @KafkaListener(
            id = "${hark.kafka.group-prefix}-upload-names",
            topics = Topics.ACCOUNT_ERASURES,
            containerFactory = PlatformConfiguration.VIEW_LISTENER_FACTORY)
    void onErasure(ConsumerRecord<String, byte[]> record) {
        if (AccountViewCleared.TYPE.equals(EventRecords.typeOf(record))) {
            String name =
                    codec.decodeRecord(record.value(), AccountViewCleared.class).username();
            accounts.forgetErased(name).block();
            log.info("Account {} is erased everywhere; the name is free again", name);
        }
    }
}
