using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc7748;

namespace SecureNmc.Simulator.Ssh.Algorithms.KeyExchange
{
    /// <summary>curve25519-sha256 and its older alias curve25519-sha256@libssh.org (RFC 8731).</summary>
    internal sealed class Curve25519KeyExchange : KeyExchangeMethodBase
    {
        public Curve25519KeyExchange(string name) : base(name, KeyExchangeFlow.EllipticCurve, HashAlgorithmName.SHA256, isLegacy: false) { }

        public override IKeyAgreement CreateAgreement() => new X25519KeyAgreement();
    }

    /// <summary>One ephemeral X25519 key (RFC 7748 §6.1).</summary>
    internal sealed class X25519KeyAgreement : IKeyAgreement
    {
        private readonly byte[] _privateKey;

        public X25519KeyAgreement() : this(CryptoBytes.Random(X25519.ScalarSize)) { }

        /// <summary>For known-answer tests: a fixed private scalar (clamped by the scalar multiplication).</summary>
        internal X25519KeyAgreement(byte[] privateKey)
        {
            _privateKey = (byte[])privateKey.Clone();
            PublicValue = new byte[X25519.PointSize];
            X25519.ScalarMultBase(_privateKey, 0, PublicValue, 0);
        }

        public byte[] PublicValue { get; }

        /// <summary>
        /// RFC 8731 §3: the 32 output bytes are read as a big-endian integer as they are (no byte
        /// reversal), and an all-zero result (a low-order peer point) aborts the exchange.
        /// </summary>
        public byte[] DeriveSharedSecret(byte[] peerPublicValue)
        {
            if (peerPublicValue == null || peerPublicValue.Length != X25519.PointSize)
                throw new CryptographicException($"The peer's X25519 public key must be {X25519.PointSize} bytes, got {peerPublicValue?.Length ?? 0}.");
            var secret = new byte[X25519.PointSize];
            X25519.ScalarMult(_privateKey, 0, peerPublicValue, 0, secret, 0);
            if (CryptoBytes.IsAllZero(secret))
                throw new CryptographicException("The peer's X25519 public key is a low-order point (all-zero shared secret); key exchange aborted.");
            return secret;
        }

        public void Dispose() => CryptoBytes.Wipe(_privateKey);
    }
}
