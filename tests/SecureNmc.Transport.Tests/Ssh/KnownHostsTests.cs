using System;
using System.IO;
using System.Linq;
using SecureNmc.Simulator.Ssh.Keys;
using SecureNmc.Core.Ssh.KnownHosts;
using SecureNmc.Core.Transport;

namespace SecureNmc.Transport.Tests.Ssh
{
    public sealed class KnownHostsTests
    {
        private static string TempPath() => Path.Combine(Path.GetTempPath(), "securenmc-kh-" + Guid.NewGuid().ToString("N"), "known_hosts");
        private static byte[] KeyA => TestSshServer.HostKeys[0].PublicKeyBlob;
        private static byte[] KeyB => TestSshServer.HostKeys[1].PublicKeyBlob;

        [Fact]
        public void Trust_on_first_use_records_the_key_and_then_insists_on_it()
        {
            var path = TempPath();
            var trust = new HostKeyTrust(new KnownHostsStore(path), new SshClientOptions(), "10.0.0.5", 22);
            trust.Verify("ssh-ed25519", KeyA);
            var lines = File.ReadAllLines(path).Where(l => !l.StartsWith("#")).ToArray();
            Assert.Equal(new[] { $"10.0.0.5:22 ssh-ed25519 {SshFingerprint.Sha256(KeyA)}" }, lines);
            trust.Verify("ssh-ed25519", KeyA);

            var changed = Assert.Throws<HostKeyRejectedException>(() => trust.Verify("ssh-ed25519", KeyB));
            Assert.Equal(SshFingerprint.Sha256(KeyA), changed.ExpectedFingerprint);
            Assert.Equal(SshFingerprint.Sha256(KeyB), changed.PresentedFingerprint);
            Assert.Contains("CHANGED", changed.Message);
            Assert.Contains(path, changed.Message);
            Assert.Equal(TransferFailureKind.HostKeyRejected, changed.Kind);

            // Another port on the same address is another device.
            new HostKeyTrust(new KnownHostsStore(path), new SshClientOptions(), "10.0.0.5", 2222).Verify("ecdsa-sha2-nistp256", KeyB);
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp"));
        }

        [Fact]
        public void A_different_key_type_for_a_known_host_is_also_a_change()
        {
            var path = TempPath();
            var trust = new HostKeyTrust(new KnownHostsStore(path), new SshClientOptions(), "card1", 22);
            trust.Verify("ssh-ed25519", KeyA);
            Assert.Throws<HostKeyRejectedException>(() => trust.Verify("ecdsa-sha2-nistp256", KeyB));
            Assert.Equal(new[] { "ssh-ed25519" }, trust.KnownKeyTypes());
        }

        [Fact]
        public void Strict_mode_refuses_unknown_hosts_and_records_nothing()
        {
            var path = TempPath();
            var options = new SshClientOptions { HostKeyPolicy = HostKeyPolicy.Strict };
            var ex = Assert.Throws<HostKeyRejectedException>(() => new HostKeyTrust(new KnownHostsStore(path), options, "card2", 22).Verify("ssh-ed25519", KeyA));
            Assert.Null(ex.ExpectedFingerprint);
            Assert.Contains(SshFingerprint.Sha256(KeyA), ex.Message);
            Assert.False(File.Exists(path));

            new KnownHostsStore(path).Save("card2", 22, "ssh-ed25519", SshFingerprint.Sha256(KeyA));
            new HostKeyTrust(new KnownHostsStore(path), options, "card2", 22).Verify("ssh-ed25519", KeyA);
        }

        [Fact]
        public void A_pinned_fingerprint_overrides_the_store()
        {
            var path = TempPath();
            new KnownHostsStore(path).Save("card3", 22, "ssh-ed25519", SshFingerprint.Sha256(KeyB));
            var pinned = new SshClientOptions { PinnedFingerprint = SshFingerprint.Sha256(KeyA), HostKeyPolicy = HostKeyPolicy.Strict };
            new HostKeyTrust(new KnownHostsStore(path), pinned, "card3", 22).Verify("ssh-ed25519", KeyA);
            var bare = new SshClientOptions { PinnedFingerprint = SshFingerprint.Sha256(KeyA).Substring("SHA256:".Length) };
            new HostKeyTrust(new KnownHostsStore(path), bare, "card3", 22).Verify("ssh-ed25519", KeyA);
            var ex = Assert.Throws<HostKeyRejectedException>(() => new HostKeyTrust(new KnownHostsStore(path), pinned, "card3", 22).Verify("ecdsa-sha2-nistp256", KeyB));
            Assert.Equal(SshFingerprint.Sha256(KeyA), ex.ExpectedFingerprint);
            Assert.Contains("pinned", ex.Message);
        }

        [Fact]
        public void Removing_a_host_forgets_it_and_a_corrupt_file_is_reported_with_its_line()
        {
            var path = TempPath();
            var store = new KnownHostsStore(path);
            store.Save("card4", 22, "ssh-ed25519", SshFingerprint.Sha256(KeyA));
            store.Save("card5", 22, "ssh-ed25519", SshFingerprint.Sha256(KeyB));
            Assert.Equal(1, store.Remove("CARD4", 22));
            Assert.Empty(store.Find("card4", 22));
            Assert.Single(store.Find("card5", 22));

            File.AppendAllText(path, "garbage line\n");
            var ex = Assert.Throws<InvalidDataException>(() => store.Find("card5", 22));
            Assert.Contains("line 3", ex.Message);
        }

        [Fact]
        public void A_change_written_by_another_process_is_seen_at_the_next_lookup()
        {
            // Lookups reuse the last parse while the file is unchanged; a file rewritten behind the store's
            // back (another pwsh, an admin's editor) must be read again, also at the same length.
            var path = TempPath();
            var store = new KnownHostsStore(path);
            store.Save("10.0.0.5", 22, "ssh-ed25519", SshFingerprint.Sha256(KeyA));
            Assert.Equal(SshFingerprint.Sha256(KeyA), store.Find("10.0.0.5", 22).Single().Fingerprint);

            var text = File.ReadAllText(path).Replace(SshFingerprint.Sha256(KeyA), SshFingerprint.Sha256(KeyB));
            File.WriteAllText(path, text);
            File.SetLastWriteTimeUtc(path, DateTime.UtcNow.AddSeconds(5));
            var other = new KnownHostsStore(path);
            Assert.Equal(SshFingerprint.Sha256(KeyB), other.Find("10.0.0.5", 22).Single().Fingerprint);
            Assert.Throws<HostKeyRejectedException>(() => new HostKeyTrust(store, new SshClientOptions(), "10.0.0.5", 22).Verify("ssh-ed25519", KeyA));

            File.Delete(path);
            Assert.Empty(store.Find("10.0.0.5", 22));
        }

        [Fact]
        public void A_thousand_cards_are_found_without_reading_the_file_at_each_lookup()
        {
            var path = TempPath();
            var store = new KnownHostsStore(path);
            var lines = new System.Text.StringBuilder();
            for (int i = 0; i < 1000; i++) lines.Append($"10.1.{i / 250}.{i % 250}:22 ssh-rsa {SshFingerprint.Sha256(KeyA)}\n");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, lines.ToString());
            Assert.Single(store.Find("10.1.0.7", 22));
            // Changed in content only (same size, same time): a store that parsed again would lose the first card.
            var stamp = File.GetLastWriteTimeUtc(path);
            var bytes = File.ReadAllBytes(path);
            bytes[0] = (byte)'#';
            File.WriteAllBytes(path, bytes);
            File.SetLastWriteTimeUtc(path, stamp);
            for (int i = 0; i < 1000; i++) Assert.Single(store.Find($"10.1.{i / 250}.{i % 250}", 22));
        }
    }
}
