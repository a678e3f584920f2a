// Makes DPoP proofs (RFC 9449) ahead of time for bench/run.sh's dpop workload, so that wrk does not pay for them: one
// proof per line, each with its own jti, for GET of one URL with one access token (ath), all with the same iat.
// Run with the JDK's source launcher: no build, no dependencies (ES256 signatures by the JDK, converted from DER to
// the JOSE form). Not part of the product.
//
//   java bench/DpopProofs.java KEY_FILE TOKEN_FILE HTU COUNT IAT OUT_FILE
//   (KEY_FILE: StaticIssuer's dpop-key.txt, an EC key: ES256 proofs; or dpop-rsa-key.txt, an RSA key: RS256 proofs;
//   TOKEN_FILE: the token bound to it, dpop.txt or dpop-rsa.txt)
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

public class DpopProofs {

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** An ECDSA signature from the JDK's DER SEQUENCE { r, s } to JOSE's fixed-size r || s (RFC 7518 section 3.4). */
    static byte[] jose(byte[] der) {
        int offset = der[1] < 0 ? 3 : 2; // long-form length: one more byte
        byte[] out = new byte[64];
        for (int part = 0; part < 2; part++) {
            int length = der[offset + 1];
            int start = offset + 2;
            int copy = Math.min(length, 32);
            System.arraycopy(der, start + length - copy, out, part * 32 + 32 - copy, copy);
            offset = start + length;
        }
        return out;
    }

    public static void main(String[] args) throws Exception {
        List<String> key = Files.readAllLines(Path.of(args[0]));
        String token = Files.readString(Path.of(args[1])).strip();
        String htu = args[2];
        int count = Integer.parseInt(args[3]);
        long iat = Long.parseLong(args[4]);
        byte[] pkcs8 = Base64.getDecoder().decode(key.get(0));
        boolean rsa;
        PrivateKey privateKey;
        try {
            privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            rsa = false;
        } catch (java.security.spec.InvalidKeySpecException notEc) {
            privateKey = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            rsa = true;
        }
        String jwk = rsa ? "{\"kty\":\"RSA\",\"n\":\"" + key.get(1) + "\",\"e\":\"" + key.get(2) + "\"}"
                : "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"" + key.get(1) + "\",\"y\":\"" + key.get(2) + "\"}";
        String header = b64(("{\"typ\":\"dpop+jwt\",\"alg\":\"" + (rsa ? "RS256" : "ES256") + "\",\"jwk\":" + jwk + "}")
                .getBytes(StandardCharsets.UTF_8));
        PrivateKey signingKey = privateKey;
        boolean rs256 = rsa;
        String ath = b64(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        String[] proofs = new String[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            try {
                String input = header + "." + b64(("{\"jti\":\"" + UUID.randomUUID() + "\",\"htm\":\"GET\",\"htu\":\""
                        + htu + "\",\"iat\":" + iat + ",\"ath\":\"" + ath + "\"}").getBytes(StandardCharsets.UTF_8));
                Signature signature = Signature.getInstance(rs256 ? "SHA256withRSA" : "SHA256withECDSA");
                signature.initSign(signingKey);
                signature.update(input.getBytes(StandardCharsets.US_ASCII));
                proofs[i] = input + "." + b64(rs256 ? signature.sign() : jose(signature.sign()));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[5]))) {
            for (String proof : proofs) {
                out.write(proof);
                out.newLine();
            }
        }
    }
}
