using System.Threading.Tasks;

namespace SecureNmc.Transport.Tests.Interop
{
    /// <summary>Our client to OpenSSH sshd offering exactly one algorithm per category: login plus a small SCP round trip.</summary>
    public sealed class SshClientToOpenSshMatrixTests
    {
        public static TheoryData<string, string> Cases()
        {
            var data = new TheoryData<string, string>();
            foreach (var row in SshAlgorithmMatrix.All()) data.Add((string)row[0], (string)row[1]);
            return data;
        }

        [SshInteropTheory]
        [MemberData(nameof(Cases))]
        public async Task Login_and_scp_round_trip_with_only(string category, string algorithm)
        {
            using var sshd = SshdInstance.Start(SshAlgorithmMatrix.SshdOffering(category, algorithm));
            var options = SshInteropHelpers.Options(sshd.Port);
            options.Ssh.AllowLegacyAlgorithms = SshAlgorithmMatrix.IsLegacy(category, algorithm);
            using var client = await SshInteropHelpers.ConnectAsync(options);
            var negotiated = client.Transport.Negotiated!;
            switch (category)
            {
                case SshAlgorithmMatrix.Kex: Assert.Equal(algorithm, negotiated.KeyExchange); break;
                case SshAlgorithmMatrix.HostKey: Assert.Equal(algorithm, negotiated.HostKey); break;
                case SshAlgorithmMatrix.Cipher:
                    Assert.Equal(algorithm, negotiated.CipherClientToServer);
                    Assert.Equal(algorithm, negotiated.CipherServerToClient);
                    break;
                default:
                    Assert.Equal(algorithm, negotiated.MacClientToServer);
                    Assert.Equal(algorithm, negotiated.MacServerToClient);
                    break;
            }
            await SshInteropHelpers.RoundTripAsync(client, SshInteropHelpers.RandomBytes(70_001, algorithm.Length));
        }

        [SshInteropFact]
        public async Task Legacy_only_server_is_refused_unless_legacy_is_enabled()
        {
            using var sshd = SshdInstance.Start(new SshdConfig { KexAlgorithms = "diffie-hellman-group14-sha1" });
            var ex = await Assert.ThrowsAsync<SecureNmc.Core.Transport.FileTransferException>(() => SshInteropHelpers.ConnectAsync(SshInteropHelpers.Options(sshd.Port)));
            Assert.Equal(SecureNmc.Core.Transport.TransferFailureKind.ProtocolError, ex.Kind);
            Assert.Contains("legacy", ex.Message);
        }
    }
}
