package dev.webinfra.x509;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes PEM with BouncyCastle; a PEM that holds nothing usable is an error naming why.
 */
public final class Pem {
  private Pem() {}

  /** Thrown for PEM text that is not what was expected. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** PEM text for a certificate or key. */
  public static String write(Object o) {
    StringWriter out = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(out)) {
      w.writeObject(o);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** PEM text for a private key, as PKCS#8 ("PRIVATE KEY"), which every reader converts back. */
  public static String writeKey(PrivateKey key) {
    try {
      return write(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null).generate());
    } catch (org.bouncycastle.util.io.pem.PemGenerationException e) {
      throw new IllegalStateException(
          "cannot encode a " + key.getAlgorithm() + " private key as PKCS#8", e);
    }
  }

  /** The certificates in PEM text, in order. */
  public static List<X509Certificate> certificates(String pem) throws Invalid {
    List<X509Certificate> out = new ArrayList<>();
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          out.add(new JcaX509CertificateConverter().getCertificate(h));
        }
      }
    } catch (IOException | CertificateException | RuntimeException e) {
      throw new Invalid("not a PEM certificate: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      // Deeply nested ASN.1 makes the parser recurse: hostile input, not a certificate.
      throw new Invalid("not a PEM certificate: its ASN.1 is nested too deeply", null);
    }
    if (out.isEmpty()) {
      throw new Invalid("no PEM certificate in it", null);
    }
    return out;
  }

  /**
   * The first private key in PEM text; an encrypted key is refused, since daemons start unattended.
   */
  public static PrivateKey privateKey(String pem) throws Invalid {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      for (Object o = p.readObject(); o != null; o = p.readObject()) {
        if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
          throw new Invalid(
              "the private key is encrypted; webinfra needs it unencrypted to start daemons"
                  + " unattended",
              null);
        }
        JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
        if (o instanceof PEMKeyPair kp) {
          return conv.getPrivateKey(kp.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return conv.getPrivateKey(info);
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new Invalid("not a PEM private key: " + e.getMessage(), e);
    } catch (StackOverflowError e) {
      throw new Invalid("not a PEM private key: its ASN.1 is nested too deeply", null);
    }
    throw new Invalid("no PEM private key in it", null);
  }
}
