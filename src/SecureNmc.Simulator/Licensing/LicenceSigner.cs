using System;
using System.Security.Cryptography;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Simulator.Licensing
{
    /// <summary>
    /// The simulated service's ECDSA P-256 signing key. Records are signed over their canonical bytes
    /// (SHA-256, IEEE P1363 r||s). A fixed key can be exported and reloaded so a rehearsal setup can
    /// configure the same trusted key across runs; tests use a fresh key each time.
    /// </summary>
    public sealed class LicenceSigner : IDisposable
    {
        private readonly ECDsa _key;

        private LicenceSigner(ECDsa key)
        {
            _key = key;
            PublicKey = TrustedServiceKey.FromParameters(key.ExportParameters(false));
        }

        /// <summary>What clients configure as the trusted service key.</summary>
        public TrustedServiceKey PublicKey { get; }

        public static LicenceSigner CreateNew() => new LicenceSigner(ECDsa.Create(ECCurve.NamedCurves.nistP256));

        /// <summary>Loads a key written by <see cref="ExportPrivateKey"/> ("d.x.y", each base64).</summary>
        public static LicenceSigner FromPrivateKey(string text)
        {
            var parts = (text ?? "").Trim().Split('.');
            if (parts.Length != 3) throw new FormatException("A licence signing key is three base64 parts d.x.y.");
            var parameters = new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                D = Convert.FromBase64String(parts[0]),
                Q = new ECPoint { X = Convert.FromBase64String(parts[1]), Y = Convert.FromBase64String(parts[2]) },
            };
            return new LicenceSigner(ECDsa.Create(parameters));
        }

        /// <summary>The private key as "d.x.y" (base64): a secret of the simulated service, for rehearsal setups only.</summary>
        public string ExportPrivateKey()
        {
            var p = _key.ExportParameters(true);
            return Convert.ToBase64String(p.D) + "." + Convert.ToBase64String(p.Q.X) + "." + Convert.ToBase64String(p.Q.Y);
        }

        /// <summary>Sets the record's key id and signature.</summary>
        public void Sign(LicenceRecord record)
        {
            record.KeyId = PublicKey.KeyId;
            record.Signature = Convert.ToBase64String(_key.SignData(record.CanonicalBytes(), HashAlgorithmName.SHA256));
        }

        public void Dispose() => _key.Dispose();
    }
}
