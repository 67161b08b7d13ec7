using System;
using System.IO;
using System.Linq;
using System.Net;
using System.Security;
using System.Text;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class AccountTests
    {
        private static readonly DateTime Today = new DateTime(2025, 9, 1);

        [Fact]
        public async System.Threading.Tasks.Task Wrong_password_is_refused_and_nothing_is_stored()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var folder = env.NewDataFolder();
                var manager = env.NewManager(folder);
                var e = await Assert.ThrowsAsync<LicensingException>(() =>
                    manager.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, "wrong"), true, TestTimeout.Token()));
                Assert.Equal(LicensingErrorCode.InvalidCredentials, e.Code);
                Assert.Null(manager.Account.Current);
                Assert.False(File.Exists(manager.Folder.TokenPath));
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task Checking_without_signing_in_says_to_connect_first()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var manager = env.NewManager();
                var e = await Assert.ThrowsAsync<LicensingException>(() =>
                    manager.CheckAsync(new[] { LicensingTestEnvironment.Device("C1", ApplicationType.SU) }, null, TestTimeout.Token()));
                Assert.Equal(LicensingErrorCode.NotSignedIn, e.Code);
                Assert.Contains("Connect-NmcAccount", e.Message);
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task Stay_signed_in_keeps_the_token_encrypted_and_sign_out_deletes_and_revokes_it()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var folder = env.NewDataFolder();
                var first = env.NewManager(folder);
                var account = await first.Account.ConnectAsync(new NetworkCredential(LicensingTestEnvironment.User, LicensingTestEnvironment.Password), true, TestTimeout.Token());
                Assert.True(account.StaySignedIn);
                Assert.True(File.Exists(first.Folder.TokenPath));
                Assert.Equal(1, env.Database.ActiveTokenCount);

                // Do some licensing work so the data folder holds more than the token file.
                env.Database.AddCard("C1", "28:29:86:00:00:01", new DateTime(2025, 1, 1));
                await first.CheckAsync(new[] { LicensingTestEnvironment.Device("C1", ApplicationType.SU, "28:29:86:00:00:01") }, null, TestTimeout.Token());

                // A new session on the same data folder resumes without a password...
                var second = env.NewManager(folder);
                Assert.True(second.Account.TryResume());
                Assert.Equal(LicensingTestEnvironment.User, second.Account.Current!.Account);
                var statuses = await second.CheckAsync(new[] { LicensingTestEnvironment.Device("C1", ApplicationType.SU, "28:29:86:00:00:01") }, null, TestTimeout.Token());
                Assert.Null(statuses[0].Error);

                // ...and signing out deletes the stored token and revokes it at the service.
                var signedOut = await second.Account.DisconnectAsync(TestTimeout.Token());
                Assert.Equal(LicensingTestEnvironment.User, signedOut!.Account);
                Assert.False(File.Exists(second.Folder.TokenPath));
                Assert.Equal(0, env.Database.ActiveTokenCount);
                var third = env.NewManager(folder);
                Assert.False(third.Account.TryResume());
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task The_token_is_never_written_in_plaintext_nor_logged()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                string token = env.Database.IssueToken(LicensingTestEnvironment.User, env.Clock.UtcNow);
                var folder = env.NewDataFolder();
                var manager = env.NewManager(folder);
                var secure = new SecureString();
                foreach (char c in token) secure.AppendChar(c);
                var account = await manager.Account.ConnectAsync(AccessToken.FromSecureString(secure), true, TestTimeout.Token());
                env.Database.AddCard("C1", "28:29:86:00:00:01", new DateTime(2025, 1, 1));
                var statuses = await manager.CheckAsync(new[] { LicensingTestEnvironment.Device("C1", ApplicationType.SU, "28:29:86:00:00:01") }, null, TestTimeout.Token());

                var files = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
                Assert.Contains(files, f => f.EndsWith("account-token.bin", StringComparison.Ordinal));
                var secretForms = new[]
                {
                    Encoding.UTF8.GetBytes(token),
                    Encoding.Unicode.GetBytes(token),
                    Encoding.UTF8.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(token))),
                    Encoding.UTF8.GetBytes(token.Substring(5, 16)), // any sizeable fragment
                };
                foreach (var file in files)
                {
                    var bytes = File.ReadAllBytes(file);
                    foreach (var form in secretForms) Assert.False(Contains(bytes, form), $"{file} contains the token");
                }
                Assert.DoesNotContain(env.Log.Lines, line => line.Contains(token.Substring(5, 16)));
                Assert.DoesNotContain(token, account.ToString());
                Assert.DoesNotContain(token, string.Join("|", statuses.Select(s => s.ToString() + s.Error)));
                Assert.Equal("(access token hidden)", AccessToken.FromString(token).ToString());
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task Without_stay_signed_in_no_token_file_exists()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var folder = env.NewDataFolder();
                var manager = env.SignedInManager(folder, staySignedIn: false);
                Assert.NotNull(manager.Account.Current);
                Assert.False(File.Exists(manager.Folder.TokenPath));
                Assert.False(env.NewManager(folder).Account.TryResume());
                await manager.Account.DisconnectAsync(TestTimeout.Token());
                Assert.Equal(0, env.Database.ActiveTokenCount);
            }
        }

        [Fact]
        public async System.Threading.Tasks.Task An_unknown_or_expired_token_is_refused()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var manager = env.NewManager();
                var bogus = await Assert.ThrowsAsync<LicensingException>(() => manager.Account.ConnectAsync(AccessToken.FromString("snmc_not-a-real-token"), false, TestTimeout.Token()));
                Assert.Equal(LicensingErrorCode.NotSignedIn, bogus.Code);

                string shortLived = env.Database.IssueToken(LicensingTestEnvironment.User, env.Clock.UtcNow, TimeSpan.FromHours(1));
                await manager.Account.ConnectAsync(AccessToken.FromString(shortLived), false, TestTimeout.Token());
                env.Clock.Advance(TimeSpan.FromHours(2));
                var expired = await Assert.ThrowsAsync<LicensingException>(() =>
                    manager.CheckAsync(new[] { LicensingTestEnvironment.Device("C1", ApplicationType.SU) }, null, TestTimeout.Token()));
                Assert.Equal(LicensingErrorCode.NotSignedIn, expired.Code);
                Assert.Contains("expired", expired.Message);
            }
        }

        [Fact]
        public void A_stored_token_is_only_used_with_the_endpoint_that_issued_it()
        {
            using (var env = new LicensingTestEnvironment(Today))
            using (var otherService = new LicensingTestEnvironment(Today))
            {
                var folder = env.NewDataFolder();
                env.SignedInManager(folder, staySignedIn: true);
                var pointedElsewhere = env.NewManager(folder, endpoint: otherService.Host.Endpoint);
                Assert.False(pointedElsewhere.Account.TryResume());
            }
        }

        [Fact]
        public void Options_from_settings_name_the_wrong_setting()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var key = env.Signer.PublicKey.ToBase64();
                Assert.Contains("LicensingEndpoint", Assert.Throws<ArgumentException>(() => LicensingServiceOptions.Create(null, key)).Message);
                Assert.Contains("LicensingEndpoint", Assert.Throws<ArgumentException>(() => LicensingServiceOptions.Create("licensing.example.com", key)).Message);
                Assert.Contains("LicensingServiceKey", Assert.Throws<ArgumentException>(() => LicensingServiceOptions.Create("https://l.example.com/", "")).Message);
                Assert.Contains("LicensingServiceKey", Assert.Throws<ArgumentException>(() => LicensingServiceOptions.Create("https://l.example.com/", "AAAA")).Message);
                var options = LicensingServiceOptions.Create(env.Host.Endpoint.ToString(), key);
                Assert.Equal(env.Signer.PublicKey.KeyId, options.TrustedKey!.KeyId);
            }
        }

        [Fact]
        public void Plain_http_is_refused_except_on_loopback()
        {
            using (var env = new LicensingTestEnvironment(Today))
            {
                var e = Assert.Throws<ArgumentException>(() => env.NewManager(endpoint: new Uri("http://licensing.example.com/")));
                Assert.Contains("must use https", e.Message);
                Assert.NotNull(env.NewManager(endpoint: new Uri("https://licensing.example.com/snmc")));
            }
        }

        private static bool Contains(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; i++)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) j++;
                if (j == needle.Length) return true;
            }
            return false;
        }
    }
}
