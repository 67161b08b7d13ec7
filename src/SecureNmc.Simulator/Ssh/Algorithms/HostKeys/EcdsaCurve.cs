using System.Security.Cryptography;

namespace SecureNmc.Simulator.Ssh.Algorithms.HostKeys
{
    /// <summary>The three NIST curves of RFC 5656 with their SSH identifiers and signature hashes.</summary>
    internal sealed class EcdsaCurve
    {
        public static readonly EcdsaCurve NistP256 = new EcdsaCurve("nistp256", ECCurve.NamedCurves.nistP256, HashAlgorithmName.SHA256, 32, 256);
        public static readonly EcdsaCurve NistP384 = new EcdsaCurve("nistp384", ECCurve.NamedCurves.nistP384, HashAlgorithmName.SHA384, 48, 384);
        public static readonly EcdsaCurve NistP521 = new EcdsaCurve("nistp521", ECCurve.NamedCurves.nistP521, HashAlgorithmName.SHA512, 66, 521);
        public static readonly EcdsaCurve[] All = { NistP256, NistP384, NistP521 };

        private EcdsaCurve(string identifier, ECCurve curve, HashAlgorithmName hash, int fieldBytes, int bits)
        {
            Identifier = identifier;
            Curve = curve;
            Hash = hash;
            FieldBytes = fieldBytes;
            Bits = bits;
        }

        /// <summary>"nistp256": the curve name inside the key blob.</summary>
        public string Identifier { get; }
        /// <summary>"ecdsa-sha2-nistp256": key type and signature algorithm name.</summary>
        public string KeyType => "ecdsa-sha2-" + Identifier;
        public ECCurve Curve { get; }
        public HashAlgorithmName Hash { get; }
        public int FieldBytes { get; }
        public int Bits { get; }

        public static EcdsaCurve? FromKeyType(string keyType)
        {
            foreach (var c in All) if (c.KeyType == keyType) return c;
            return null;
        }

        public static EcdsaCurve? FromBits(int bits)
        {
            foreach (var c in All) if (c.Bits == bits) return c;
            return null;
        }
    }
}
