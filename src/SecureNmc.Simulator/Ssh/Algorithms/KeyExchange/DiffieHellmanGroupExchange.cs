using System;
using System.Linq;
using System.Security.Cryptography;
using Org.BouncyCastle.Math;

namespace SecureNmc.Simulator.Ssh.Algorithms.KeyExchange
{
    /// <summary>
    /// diffie-hellman-group-exchange-sha256/-sha1 (RFC 4419, RFC 8270). The server picks a group
    /// from the RFC 3526 safe primes; the client checks the server's group size before using it.
    /// </summary>
    internal sealed class DiffieHellmanGroupExchange : KeyExchangeMethodBase
    {
        /// <summary>RFC 8270 raises the minimum group size to 2048 bits; the SHA-1 legacy method also accepts 1024 for old cards.</summary>
        public const int MaxGroupBits = 8192;

        private static readonly (int Bits, BigInteger Prime)[] ServerGroups =
        {
            (2048, new BigInteger(ModpGroups.Group14_2048, 16)),
            (3072, new BigInteger(ModpGroups.Group15_3072, 16)),
            (4096, new BigInteger(ModpGroups.Group16_4096, 16)),
            (6144, new BigInteger(ModpGroups.Group17_6144, 16)),
            (8192, new BigInteger(ModpGroups.Group18_8192, 16)),
        };

        private readonly int _exponentBits;

        public DiffieHellmanGroupExchange(string name, HashAlgorithmName hash, int exponentBits, int minGroupBits, bool isLegacy)
            : base(name, KeyExchangeFlow.GroupExchange, hash, isLegacy)
        {
            _exponentBits = exponentBits;
            MinGroupBits = minGroupBits;
        }

        public int MinGroupBits { get; }

        public override IKeyAgreement CreateAgreement(byte[] prime, byte[] generator)
        {
            if (prime == null || generator == null) throw new CryptographicException("The server sent no group-exchange prime or generator.");
            var p = new BigInteger(1, prime);
            var g = new BigInteger(1, generator);
            if (p.BitLength < MinGroupBits || p.BitLength > MaxGroupBits)
                throw new CryptographicException($"The server's group-exchange prime has {p.BitLength} bits; {Name} accepts {MinGroupBits} to {MaxGroupBits}.");
            if (!p.TestBit(0))
                throw new CryptographicException("The server's group-exchange prime is even.");
            if (g.CompareTo(BigInteger.One) <= 0 || g.CompareTo(p.Subtract(BigInteger.One)) >= 0)
                throw new CryptographicException("The server's group-exchange generator is outside 1 < g < p-1.");
            return new DiffieHellmanKeyAgreement(p, g, _exponentBits);
        }

        /// <summary>
        /// The smallest RFC 3526 group of at least <paramref name="preferredBits"/> within [min, max];
        /// if none is that large, the largest within the range. Generator 2.
        /// </summary>
        public override (byte[] Prime, byte[] Generator) ChooseGroup(int minBits, int preferredBits, int maxBits)
        {
            if (minBits > maxBits || preferredBits < minBits || preferredBits > maxBits)
                throw new CryptographicException($"Invalid group-exchange request: min {minBits}, preferred {preferredBits}, max {maxBits} bits.");
            var inRange = ServerGroups.Where(g => g.Bits >= Math.Max(minBits, MinGroupBits) && g.Bits <= maxBits).ToArray();
            if (inRange.Length == 0)
                throw new CryptographicException($"No group between {minBits} and {maxBits} bits is available (we offer 2048 to 8192).");
            var chosen = inRange.FirstOrDefault(g => g.Bits >= preferredBits);
            if (chosen.Prime == null) chosen = inRange[inRange.Length - 1];
            return (chosen.Prime.ToByteArrayUnsigned(), new byte[] { 2 });
        }
    }
}
