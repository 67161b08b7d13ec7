using System;
using System.IO;
using System.Security;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;
using SecureNmc.Core.Transport;

namespace SecureNmc.Module.Tests
{
    /// <summary>Set-NmcDevice's edit rules (Core DeviceEdit): what changes, what stays, what is refused.</summary>
    public sealed class DeviceEditTests : IDisposable
    {
        private readonly string _root = Path.Combine(Path.GetTempPath(), "securenmc-edit-" + Guid.NewGuid().ToString("N"));

        public void Dispose()
        {
            try { if (Directory.Exists(_root)) Directory.Delete(_root, true); } catch (IOException) { }
        }

        private static NmcDevice Scp(int port = 22) => new NmcDevice { Host = "10.0.0.5", Name = "ups1", Protocol = TransferProtocol.Scp, Port = port };

        [Fact]
        public void Switching_protocol_moves_a_default_port_to_the_new_default()
        {
            var device = Scp();
            new DeviceEdit { Protocol = "ftp" }.ApplyTo(device, null);
            Assert.Equal((TransferProtocol.Ftp, 21), (device.Protocol, device.Port));
        }

        [Fact]
        public void Switching_protocol_keeps_a_custom_port()
        {
            var device = Scp(port: 5022);
            new DeviceEdit { Protocol = "FTP" }.ApplyTo(device, null);
            Assert.Equal((TransferProtocol.Ftp, 5022), (device.Protocol, device.Port));
        }

        [Fact]
        public void Only_given_fields_change()
        {
            var device = Scp();
            device.Model = "AP9641";
            device.Status = DeviceStatus.ReadyForUpdate;
            new DeviceEdit { NewName = "  UPS Rack 4 " }.ApplyTo(device, null);
            Assert.Equal(("UPS Rack 4", TransferProtocol.Scp, 22, "AP9641", DeviceStatus.ReadyForUpdate),
                (device.Name, device.Protocol, device.Port, device.Model, device.Status));
        }

        [Theory]
        [InlineData(null, "SFTP", null, "SFTP")]
        [InlineData(null, null, 70000, "70000")]
        [InlineData("", null, null, "empty")]
        [InlineData("bad\tname", null, null, "control character")]
        [InlineData(null, null, null, "Nothing to change")]
        public void Invalid_edits_are_refused_with_the_reason(string? name, string? protocol, int? port, string expected)
        {
            var edit = new DeviceEdit { NewName = name, Protocol = protocol, Port = port };
            Assert.Contains(edit.Validate(), e => e.Contains(expected, StringComparison.Ordinal));
            Assert.Throws<ArgumentException>(() => edit.ApplyTo(Scp(), null));
        }

        [Fact]
        public void A_new_credential_is_stored_encrypted_and_can_be_cleared()
        {
            var protector = new KeyFileCredentialProtector(DataFolder.ForRoot(_root));
            var device = Scp();
            var password = new SecureString();
            foreach (var c in "s3cret-Pa55") password.AppendChar(c);
            new DeviceEdit { UserName = "apc", Password = password }.ApplyTo(device, protector);
            Assert.Equal("apc", device.UserName);
            Assert.DoesNotContain("s3cret-Pa55", device.ProtectedPassword);
            Assert.Equal("s3cret-Pa55", protector.GetCredential(device)!.Password);

            new DeviceEdit { ClearCredential = true }.ApplyTo(device, protector);
            Assert.False(device.HasStoredCredential);
        }

        [Fact]
        public void The_description_names_changes_but_never_the_password()
        {
            var password = new SecureString();
            foreach (var c in "s3cret") password.AppendChar(c);
            var text = new DeviceEdit { Protocol = "FTP", UserName = "apc", Password = password }.Describe(Scp());
            Assert.Equal("protocol SCP -> FTP, port 22 -> 21, stored credential for user 'apc'", text);
        }
    }
}
