using System;
using System.Security.Cryptography;
using System.Text;

namespace SecureNmc.Core.Licensing
{
    /// <summary>
    /// The licensing service's ECDSA P-256 public key the module trusts: written as base64 of the
    /// uncompressed point (0x04 || X || Y, 65 bytes). Configure the vendor's key for production, the
    /// simulator's key for tests and rehearsals. Only records that verify with it are stored or trusted.
    /// </summary>
    public sealed class TrustedServiceKey
    {
        private readonly byte[] _x;
        private readonly byte[] _y;

        private TrustedServiceKey(byte[] x, byte[] y)
        {
            _x = x;
            _y = y;
            KeyId = ComputeKeyId(x, y);
        }

        /// <summary>First 8 bytes of SHA-256 over the uncompressed point, lower-case hex: names the key in records.</summary>
        public string KeyId { get; }

        public static TrustedServiceKey FromParameters(ECParameters parameters)
        {
            if (parameters.Q.X == null || parameters.Q.Y == null || parameters.Q.X.Length != 32 || parameters.Q.Y.Length != 32)
                throw new ArgumentException("The key is not a P-256 public key.", nameof(parameters));
            return new TrustedServiceKey((byte[])parameters.Q.X.Clone(), (byte[])parameters.Q.Y.Clone());
        }

        public static TrustedServiceKey Parse(string base64Point)
        {
            byte[] point;
            try { point = Convert.FromBase64String((base64Point ?? "").Trim()); }
            catch (FormatException) { throw new FormatException("The trusted licensing service key is not base64 (expected the 65-byte uncompressed P-256 point 04||X||Y)."); }
            if (point.Length != 65 || point[0] != 0x04)
                throw new FormatException($"The trusted licensing service key is {point.Length} bytes; expected the 65-byte uncompressed P-256 point 04||X||Y.");
            var x = new byte[32];
            var y = new byte[32];
            Buffer.BlockCopy(point, 1, x, 0, 32);
            Buffer.BlockCopy(point, 33, y, 0, 32);
            var key = new TrustedServiceKey(x, y);
            using (key.CreateVerifier()) { } // rejects points not on the curve
            return key;
        }

        public string ToBase64()
        {
            var point = new byte[65];
            point[0] = 0x04;
            Buffer.BlockCopy(_x, 0, point, 1, 32);
            Buffer.BlockCopy(_y, 0, point, 33, 32);
            return Convert.ToBase64String(point);
        }

        public bool Verify(byte[] data, byte[] signature)
        {
            if (signature == null || signature.Length != 64) return false;
            using (var ecdsa = CreateVerifier())
                return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256);
        }

        private ECDsa CreateVerifier()
        {
            try
            {
                return ECDsa.Create(new ECParameters
                {
                    Curve = ECCurve.NamedCurves.nistP256,
                    Q = new ECPoint { X = (byte[])_x.Clone(), Y = (byte[])_y.Clone() },
                });
            }
            catch (CryptographicException e)
            {
                throw new FormatException("The trusted licensing service key is not a valid P-256 public key.", e);
            }
        }

        internal static string ComputeKeyId(byte[] x, byte[] y)
        {
            var point = new byte[65];
            point[0] = 0x04;
            Buffer.BlockCopy(x, 0, point, 1, 32);
            Buffer.BlockCopy(y, 0, point, 33, 32);
            byte[] hash;
            using (var sha = SHA256.Create()) hash = sha.ComputeHash(point);
            var sb = new StringBuilder();
            for (int i = 0; i < 8; i++) sb.Append(hash[i].ToString("x2"));
            return sb.ToString();
        }

        public override string ToString() => $"P-256 key {KeyId}";
    }
}
