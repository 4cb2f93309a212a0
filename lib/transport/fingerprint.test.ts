import { describe, expect, it } from "vitest";
import {
  hostKeyInfo,
  keyAlgorithm,
  parsePublicKeyLine,
  preferredHostKeyAlgorithms,
  sha256Fingerprint,
} from "./fingerprint";

// Oracles: keys made by ssh-keygen, fingerprints as `ssh-keygen -lf` printed them.
const ED = "AAAAC3NzaC1lZDI1NTE5AAAAIJOyi507OGg11gCqBJeDd+sb06hLst/Tg6hsDCPAKviC";
const ED_FP = "SHA256:QRwj+Gg0WkVPReAEneJ8oPTTL5iozLFpRS3PQQFqLgE";
const RSA =
  "AAAAB3NzaC1yc2EAAAADAQABAAAAgQCmhvytA3SSIRkUww4VC3o3VQNBayRIEZ04/f2rzlBwBUoswMSxw0Dd7kwCS0xqEjPbH3teTH7oZC9LJgy5z072koBcssarbhB5yUjBfUoYNdh6Zdrqt2tO5RLY0hVnCyd9G6pB1GdkjbA1oCv2GRrF+dz3HbLJ0Tc8UzB0HxtqWQ==";
const RSA_FP = "SHA256:uJ0u4cIrQPd309eo16Vtg6+iBzolIWhuMs9PXOcQobM";

describe("host key fingerprints", () => {
  it("match OpenSSH's SHA256 fingerprints (unpadded base64)", () => {
    expect(sha256Fingerprint(Buffer.from(ED, "base64"))).toBe(ED_FP);
    expect(sha256Fingerprint(Buffer.from(RSA, "base64"))).toBe(RSA_FP);
    expect(ED_FP.endsWith("=")).toBe(false);
  });

  it("read the algorithm from the key blob, and refuse garbage", () => {
    expect(keyAlgorithm(Buffer.from(ED, "base64"))).toBe("ssh-ed25519");
    expect(keyAlgorithm(Buffer.from(RSA, "base64"))).toBe("ssh-rsa");
    expect(keyAlgorithm(Buffer.from([0, 0]))).toBe("unknown");
    expect(keyAlgorithm(Buffer.from([0, 0, 0, 200, 1, 2]))).toBe("unknown");
    expect(keyAlgorithm(Buffer.from([0, 0, 0, 3, 0x0a, 0x00, 0x41]))).toBe("unknown");
  });

  it("parse *.pub, authorized_keys and known_hosts lines", () => {
    const want = { algo: "ssh-ed25519", key: ED, fingerprint: ED_FP };
    expect(parsePublicKeyLine(`ssh-ed25519 ${ED} oracle`)).toEqual(want);
    expect(parsePublicKeyLine(`[127.0.0.1]:2222 ssh-ed25519 ${ED}\n`)).toEqual(want);
    expect(parsePublicKeyLine(`host,10.0.0.1 ssh-rsa ${RSA}`)?.fingerprint).toBe(RSA_FP);
    // the line's algorithm must be the blob's
    expect(parsePublicKeyLine(`ssh-rsa ${ED}`)).toBeNull();
    expect(parsePublicKeyLine("not a key")).toBeNull();
    expect(parsePublicKeyLine("")).toBeNull();
  });

  it("describe a key and the algorithms to prefer when it is pinned", () => {
    expect(hostKeyInfo(Buffer.from(ED, "base64"))).toEqual({
      algo: "ssh-ed25519",
      key: ED,
      fingerprint: ED_FP,
    });
    expect(preferredHostKeyAlgorithms("ssh-ed25519")).toEqual(["ssh-ed25519"]);
    expect(preferredHostKeyAlgorithms("ssh-rsa")).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]);
  });
});
