using System;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;

namespace SecureNmc.Simulator.Ssh.Algorithms.KeyExchange
{
    /// <summary>Fixed-group Diffie-Hellman (RFC 4253 §8, RFC 8268): diffie-hellman-group14-sha256 etc.</summary>
    internal sealed class DiffieHellmanKeyExchange : KeyExchangeMethodBase
    {
        private readonly BigInteger _prime;
        private readonly int _exponentBits;

        public DiffieHellmanKeyExchange(string name, string primeHex, HashAlgorithmName hash, int exponentBits, bool isLegacy)
            : base(name, KeyExchangeFlow.FixedGroup, hash, isLegacy)
        {
            _prime = new BigInteger(primeHex, 16);
            _exponentBits = exponentBits;
        }

        public int PrimeBits => _prime.BitLength;

        public override IKeyAgreement CreateAgreement() => new DiffieHellmanKeyAgreement(_prime, BigInteger.Two, _exponentBits);
    }

    /// <summary>
    /// One side of a DH exchange in a (p, g) group. The private exponent is twice the security
    /// level in bits (as OpenSSH does) rather than full-size, which keeps a 8192-bit exchange fast.
    /// </summary>
    internal sealed class DiffieHellmanKeyAgreement : IKeyAgreement
    {
        private static readonly SecureRandom Random = new SecureRandom();
        private readonly BigInteger _prime;
        private BigInteger _exponent;

        public DiffieHellmanKeyAgreement(BigInteger prime, BigInteger generator, int exponentBits)
        {
            _prime = prime;
            int bits = Math.Min(exponentBits, prime.BitLength - 1);
            BigInteger x;
            do { x = new BigInteger(bits, Random); } while (x.CompareTo(BigInteger.Two) < 0);
            _exponent = x;
            var e = generator.ModPow(x, prime);
            PublicValue = e.ToByteArrayUnsigned();
        }

        /// <summary>e (client) or f (server) as an unsigned big-endian integer.</summary>
        public byte[] PublicValue { get; }

        /// <summary>RFC 4253 §8: the peer value must satisfy 1 &lt; f &lt; p-1, else the exchange is aborted.</summary>
        public byte[] DeriveSharedSecret(byte[] peerPublicValue)
        {
            if (peerPublicValue == null || peerPublicValue.Length == 0 || peerPublicValue.Length > (_prime.BitLength + 7) / 8 + 1)
                throw new CryptographicException("The peer's Diffie-Hellman value is empty or longer than the group prime.");
            var f = new BigInteger(1, peerPublicValue);
            if (f.CompareTo(BigInteger.One) <= 0 || f.CompareTo(_prime.Subtract(BigInteger.One)) >= 0)
                throw new CryptographicException("The peer's Diffie-Hellman value is outside 1 < f < p-1; key exchange aborted.");
            var k = f.ModPow(_exponent, _prime);
            if (k.CompareTo(BigInteger.One) <= 0)
                throw new CryptographicException("Diffie-Hellman produced a degenerate shared secret; key exchange aborted.");
            return k.ToByteArrayUnsigned();
        }

        public void Dispose() => _exponent = BigInteger.Zero;
    }
}
