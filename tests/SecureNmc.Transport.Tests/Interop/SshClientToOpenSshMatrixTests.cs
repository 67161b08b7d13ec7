using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using SecureNmc.Core.Ssh.KnownHosts;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Transport.Scp;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>
    /// The product's SCP client (SSH.NET) to OpenSSH sshd offering exactly one algorithm of one category,
    /// for every algorithm the client can offer (NIST curves through the retry, legacy through the opt-in). Each case runs the whole of issue 3's list against that one sshd: password
    /// login, SCP upload and download of 0 B, 1 B, 1 MiB and 20 MiB byte-identical, a wrong password
    /// (BadCredentials) and a changed host key (HostKeyRejected).
    /// </summary>
    public sealed class SshClientToOpenSshMatrixTests
    {
        public static TheoryData<string, string> Cases()
        {
            var data = new TheoryData<string, string>();
            foreach (var row in SshAlgorithmMatrix.ClientOffer()) data.Add((string)row[0], (string)row[1]);
            return data;
        }

        [SshInteropTheory]
        [MemberData(nameof(Cases))]
        public async Task Login_scp_all_sizes_wrong_password_and_changed_host_key_with_only(string category, string algorithm)
        {
            using var sshd = SshdInstance.Start(SshAlgorithmMatrix.SshdOffering(category, algorithm));
            bool legacy = SshAlgorithmMatrix.IsClientLegacy(algorithm);
            var knownHosts = SshInteropHelpers.TempKnownHosts();
            ConnectionOptions Options(string? password = null)
            {
                var o = SshInteropHelpers.Options(sshd.Port, password: password, knownHosts: knownHosts);
                o.Ssh.AllowLegacyAlgorithms = legacy;
                return o;
            }

            // Password login (trust on first use records the key) and the four sizes, both directions.
            using (var client = await SshInteropHelpers.ConnectAsync(Options()))
            {
                AssertNegotiated(client, category, algorithm);
                foreach (var size in SshTestFiles.AllSizes)
                    await SshInteropHelpers.RoundTripAsync(client, SshTestFiles.OfSize(size), $"matrix-{size}.bin");
                await client.CloseAsync(CancellationToken.None);
            }

            // Wrong password against the same single-algorithm sshd.
            var bad = await Assert.ThrowsAsync<FileTransferException>(() => SshInteropHelpers.ConnectAsync(Options("wrong-" + SshPeers.TestPassword)));
            Assert.Equal(TransferFailureKind.BadCredentials, bad.Kind);

            // Changed host key: the record now holds another key of the same type, as after a card swap
            // or an interception; the key this sshd presents must be refused with both fingerprints.
            var store = new KnownHostsStore(knownHosts);
            var recorded = Assert.Single(store.Find("127.0.0.1", sshd.Port));
            var otherFingerprint = SshFingerprint.Sha256(SshInteropHelpers.RandomBytes(64, algorithm.Length));
            store.Save("127.0.0.1", sshd.Port, recorded.KeyType, otherFingerprint);
            var changed = await Assert.ThrowsAsync<HostKeyRejectedException>(() => SshInteropHelpers.ConnectAsync(Options()));
            Assert.Equal(TransferFailureKind.HostKeyRejected, changed.Kind);
            Assert.Equal(otherFingerprint, changed.ExpectedFingerprint);
            Assert.Equal(recorded.Fingerprint, changed.PresentedFingerprint);
            Assert.Contains(otherFingerprint, changed.Message);
            Assert.Contains(recorded.Fingerprint, changed.Message);
        }

        private static void AssertNegotiated(SshNetScpSession negotiated, string category, string algorithm)
        {
            switch (category)
            {
                // SSH.NET names the two aliases of one method (…@libssh.org, …@openssh.com) by the standard name.
                case SshAlgorithmMatrix.Kex: Assert.Equal(algorithm.Split('@')[0], negotiated.KeyExchangeAlgorithm); break;
                case SshAlgorithmMatrix.HostKey: Assert.Equal(algorithm, negotiated.HostKeyAlgorithm); break;
                case SshAlgorithmMatrix.Cipher:
                    Assert.Equal(algorithm, negotiated.CipherClientToServer);
                    Assert.Equal(algorithm, negotiated.CipherServerToClient);
                    break;
                default:
                    Assert.Equal(algorithm, negotiated.MacClientToServer);
                    Assert.Equal(algorithm, negotiated.MacServerToClient);
                    break;
            }
        }

        [SshInteropFact]
        public async Task Legacy_only_server_is_refused_unless_legacy_is_enabled()
        {
            using var sshd = SshdInstance.Start(new SshdConfig { KexAlgorithms = "diffie-hellman-group14-sha1" });
            var ex = await Assert.ThrowsAsync<FileTransferException>(() => SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port)));
            Assert.Equal(TransferFailureKind.ProtocolError, ex.Kind);
            Assert.Contains("legacy", ex.Message);
        }
    }
}
