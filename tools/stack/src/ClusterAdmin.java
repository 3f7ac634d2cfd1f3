import java.io.FileInputStream;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FeatureMetadata;
import org.apache.kafka.clients.admin.FeatureUpdate;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UpdateFeaturesOptions;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * Run by the stack launcher (`java -cp <kafka libs>/* ClusterAdmin.java <admin.properties> <user>`,
 * password in SCRAM_PASSWORD) once the secured cluster answers: raises metadata.version to the
 * highest the brokers support when the quorum's first election left it at 3.0 (a KRaft bootstrap race
 * on a busy machine, which also drops the SCRAM users `kafka-storage format --add-scram` put in the
 * bootstrap), then creates the user's SCRAM-SHA-256 and SCRAM-SHA-512 credentials.
 */
public class ClusterAdmin {
  public static void main(String[] args) throws Exception {
    Properties props = new Properties();
    try (FileInputStream in = new FileInputStream(args[0])) {
      props.load(in);
    }
    String user = args[1];
    String password = System.getenv("SCRAM_PASSWORD");
    try (Admin admin = Admin.create(props)) {
      FeatureMetadata features = admin.describeFeatures().featureMetadata().get();
      FinalizedVersionRange mv = features.finalizedFeatures().get("metadata.version");
      short max = features.supportedFeatures().get("metadata.version").maxVersion();
      if (mv == null || mv.maxVersionLevel() < max) {
        admin.updateFeatures(Map.of("metadata.version", new FeatureUpdate(max, FeatureUpdate.UpgradeType.UPGRADE)), new UpdateFeaturesOptions()).all().get();
        System.out.println("metadata.version level raised from " + (mv == null ? "none" : mv.maxVersionLevel()) + " to " + max);
      }
      List<UserScramCredentialAlteration> upserts = List.of(
          new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), password),
          new UserScramCredentialUpsertion(user, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password));
      for (int attempt = 1; ; attempt++) {
        try {
          admin.alterUserScramCredentials(upserts).all().get();
          System.out.println("SCRAM credentials of " + user + " set");
          return;
        } catch (Exception e) {
          if (attempt >= 20) throw e;
          Thread.sleep(1000);
        }
      }
    }
  }
}
