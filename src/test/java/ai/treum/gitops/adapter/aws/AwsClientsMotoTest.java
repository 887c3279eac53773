package ai.treum.gitops.adapter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import ai.treum.gitops.peers.MotoPeer;
import ai.treum.gitops.peers.MotoPeer.MotoEndpoint;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;

/** The daemon's AWS clients against the real moto_server. */
@ExtendWith(MotoPeer.class)
@Tag("peer")
class AwsClientsMotoTest {

    @Test
    void rdsInstanceCreatedInMotoIsReadBackThroughTheRdsClient(MotoEndpoint moto) {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()));
                RdsClient rds = clients.rds()) {
            rds.createDBInstance(create -> create.dbInstanceIdentifier("treum-production")
                    .engine("postgres").engineVersion("15.4")
                    .dbInstanceClass("db.t3.large").allocatedStorage(100)
                    .multiAZ(true).masterUsername("treum").masterUserPassword("not-a-real-password"));

            DBInstance read = rds.describeDBInstances(d -> d.dbInstanceIdentifier("treum-production"))
                    .dbInstances().get(0);

            assertThat(read.dbInstanceClass()).isEqualTo("db.t3.large");
            assertThat(read.allocatedStorage()).isEqualTo(100);
            assertThat(read.multiAZ()).isTrue();
            assertThat(read.engine()).isEqualTo("postgres");
            assertThat(read.dbInstanceArn()).startsWith("arn:aws:rds:eu-west-1:");
        }
    }

    @Test
    void connectionCheckNamesTheAccountAndEndpoint(MotoEndpoint moto) {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(moto.url()))) {
            var status = new AwsConnection(clients).check();

            assertThat(status.up()).withFailMessage("moto answers STS: %s", status.detail()).isTrue();
            assertThat(status.detail()).contains("123456789012").contains("eu-west-1").contains(moto.url().toString());
        }
    }

    @Test
    void anEndpointThatNeverAnswersIsGivenUpOnWithinTheCallTimeout() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
                AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(URI.create("http://127.0.0.1:"
                        + silent.getLocalPort())), ai.treum.gitops.port.AwsCallListener.NONE, java.time.Duration.ofSeconds(2))) {
            long started = System.nanoTime();
            assertThat(new AwsConnection(clients).check().up()).isFalse();
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - started))
                    .as("accepted, never answered: the call, retries and all, ends at its timeout")
                    .isLessThan(java.time.Duration.ofSeconds(10));
        }
    }

    @Test
    void unreachableEndpointIsADownStatusNotAnException() {
        try (AwsClients clients = new AwsClients(Optional.of("eu-west-1"), Optional.of(URI.create("http://127.0.0.1:1")))) {
            assertThat(new AwsConnection(clients).check().up()).isFalse();
        }
    }
}
