using System;
using System.Security.Cryptography;
using ECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using Org.BouncyCastle.Asn1.Nist;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Security;

namespace SecureNmc.Simulator.Ssh.Algorithms.KeyExchange
{
    /// <summary>ecdh-sha2-nistp256/384/521 (RFC 5656 §4): ephemeral ECDH on a NIST prime curve.</summary>
    internal sealed class EcdhKeyExchange : KeyExchangeMethodBase
    {
        private readonly ECDomainParameters _domain;

        /// <param name="nistCurve">"P-256", "P-384" or "P-521".</param>
        public EcdhKeyExchange(string name, string nistCurve, HashAlgorithmName hash)
            : base(name, KeyExchangeFlow.EllipticCurve, hash, isLegacy: false)
        {
            X9ECParameters curve = NistNamedCurves.GetByName(nistCurve);
            _domain = new ECDomainParameters(curve.Curve, curve.G, curve.N, curve.H);
        }

        public override IKeyAgreement CreateAgreement() => new EcdhKeyAgreement(_domain);
    }

    internal sealed class EcdhKeyAgreement : IKeyAgreement
    {
        private static readonly SecureRandom Random = new SecureRandom();
        private readonly ECDomainParameters _domain;
        private BigInteger _privateKey;

        public EcdhKeyAgreement(ECDomainParameters domain)
        {
            _domain = domain;
            var n = domain.N;
            BigInteger d;
            do { d = new BigInteger(n.BitLength, Random); } while (d.SignValue == 0 || d.CompareTo(n) >= 0);
            _privateKey = d;
            PublicValue = domain.G.Multiply(d).Normalize().GetEncoded(false);
        }

        /// <summary>Q as an uncompressed SEC1 point: 0x04 || X || Y.</summary>
        public byte[] PublicValue { get; }

        private int FieldBytes => (_domain.Curve.FieldSize + 7) / 8;

        /// <summary>K is the X coordinate of d·Q_peer (RFC 5656 §4), after checking Q_peer lies on the curve.</summary>
        public byte[] DeriveSharedSecret(byte[] peerPublicValue)
        {
            var peer = DecodeAndValidate(peerPublicValue);
            var shared = peer.Multiply(_privateKey).Normalize();
            if (shared.IsInfinity) throw new CryptographicException("ECDH produced the point at infinity; key exchange aborted.");
            var x = shared.AffineXCoord.ToBigInteger().ToByteArrayUnsigned();
            return x.Length == 0 ? new byte[1] : x;
        }

        private ECPoint DecodeAndValidate(byte[] encoded)
        {
            int expected = 1 + 2 * FieldBytes;
            if (encoded == null || encoded.Length != expected || encoded[0] != 0x04)
                throw new CryptographicException($"The peer's ECDH public key must be an uncompressed point of {expected} bytes.");
            ECPoint point;
            try
            {
                // DecodePoint checks the coordinates are field elements and the point satisfies the curve equation.
                point = _domain.Curve.DecodePoint(encoded);
            }
            catch (ArgumentException)
            {
                throw new CryptographicException("The peer's ECDH public key is not a point on the curve.");
            }
            if (point.IsInfinity || !point.IsValid())
                throw new CryptographicException("The peer's ECDH public key is not a valid curve point.");
            return point;
        }

        public void Dispose() => _privateKey = BigInteger.Zero;
    }
}
