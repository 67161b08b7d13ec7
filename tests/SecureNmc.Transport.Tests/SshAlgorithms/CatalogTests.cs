using System.Collections.Generic;
using System.Linq;
using SecureNmc.Simulator.Ssh.Algorithms;

namespace SecureNmc.Transport.Tests.SshAlgorithms
{
    public class CatalogTests
    {
        [Fact]
        public void Offers_exactly_the_issue_3_algorithms_in_preference_order()
        {
            Assert.Equal(new[] { "curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp256", "ecdh-sha2-nistp384", "ecdh-sha2-nistp521",
                                 "diffie-hellman-group-exchange-sha256", "diffie-hellman-group16-sha512", "diffie-hellman-group14-sha256" },
                         SshAlgorithmCatalog.KeyExchangeNames(includeLegacy: false));
            Assert.Equal(new[] { "diffie-hellman-group14-sha1", "diffie-hellman-group-exchange-sha1", "diffie-hellman-group1-sha1" },
                         SshAlgorithmCatalog.KeyExchangeNames(includeLegacy: true).Skip(8));
            Assert.Equal(new[] { "ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256" },
                         SshAlgorithmCatalog.HostKeyAlgorithmNames(includeLegacy: false));
            Assert.Equal("ssh-rsa", SshAlgorithmCatalog.HostKeyAlgorithmNames(includeLegacy: true).Last());
            Assert.Equal(new[] { "chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr" },
                         SshAlgorithmCatalog.CipherNames(includeLegacy: false));
            Assert.Equal(new[] { "aes256-cbc", "aes192-cbc", "aes128-cbc", "3des-cbc" }, SshAlgorithmCatalog.CipherNames(includeLegacy: true).Skip(6));
            Assert.Equal(new[] { "hmac-sha2-256-etm@openssh.com", "hmac-sha2-512-etm@openssh.com", "hmac-sha2-256", "hmac-sha2-512" },
                         SshAlgorithmCatalog.MacNames(includeLegacy: false));
            Assert.Equal(new[] { "hmac-sha1-etm@openssh.com", "hmac-sha1" }, SshAlgorithmCatalog.MacNames(includeLegacy: true).Skip(4));
        }

        [Fact]
        public void Legacy_algorithms_come_last_in_every_list()
        {
            static void LegacyLast(IEnumerable<bool> flags) => Assert.True(flags.SkipWhile(f => !f).All(f => f));
            LegacyLast(SshAlgorithmCatalog.KeyExchangeMethods.Select(m => m.IsLegacy));
            LegacyLast(SshAlgorithmCatalog.HostKeyAlgorithms.Select(m => m.IsLegacy));
            LegacyLast(SshAlgorithmCatalog.Ciphers.Select(m => m.IsLegacy));
            LegacyLast(SshAlgorithmCatalog.Macs.Select(m => m.IsLegacy));
        }

        [Fact]
        public void Find_returns_the_named_algorithm_or_null()
        {
            Assert.Equal(KeyExchangeFlow.EllipticCurve, SshAlgorithmCatalog.FindKeyExchange("curve25519-sha256")!.Flow);
            Assert.Equal(KeyExchangeFlow.GroupExchange, SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-sha256")!.Flow);
            Assert.Equal(KeyExchangeFlow.FixedGroup, SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group14-sha256")!.Flow);
            Assert.Equal("ssh-rsa", SshAlgorithmCatalog.FindHostKeyAlgorithm("rsa-sha2-512")!.KeyType);
            var gcm = SshAlgorithmCatalog.FindCipher("aes256-gcm@openssh.com")!;
            Assert.Equal((32, 12, true), (gcm.KeyLength, gcm.IvLength, gcm.IsAead));
            var chacha = SshAlgorithmCatalog.FindCipher("chacha20-poly1305@openssh.com")!;
            Assert.Equal((64, 0, true), (chacha.KeyLength, chacha.IvLength, chacha.IsAead));
            var des = SshAlgorithmCatalog.FindCipher("3des-cbc")!;
            Assert.Equal((24, 8, false, true), (des.KeyLength, des.IvLength, des.IsAead, des.IsLegacy));
            var mac = SshAlgorithmCatalog.FindMac("hmac-sha2-512-etm@openssh.com")!;
            Assert.Equal((64, 64, true), (mac.KeyLength, mac.Length, mac.EncryptThenMac));
            Assert.Null(SshAlgorithmCatalog.FindKeyExchange("diffie-hellman-group-exchange-md5"));
            Assert.Null(SshAlgorithmCatalog.FindHostKeyAlgorithm("ssh-dss"));
            Assert.Null(SshAlgorithmCatalog.FindCipher("arcfour"));
            Assert.Null(SshAlgorithmCatalog.FindMac("hmac-md5"));
            Assert.Null(SshAlgorithmCatalog.FindCipher("none"));
        }
    }
}
