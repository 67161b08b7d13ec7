using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Tests.Query
{
    public sealed class QueriedFactsTests
    {
        [Fact]
        public void Saving_a_refresh_copies_facts_and_status_but_keeps_what_another_session_edited()
        {
            var id = Guid.NewGuid();
            var queried = new NmcDevice
            {
                Id = id, Host = "10.0.0.5", Name = "old-name", Port = 22, UserName = "admin", ProtectedPassword = "old-blob",
                Model = "AP9641", SerialNumber = "ZA1", MacAddress = "28:29:86:00:00:01", HardwareRevision = "05",
                ApplicationType = ApplicationType.SU, AosVersion = "2.5.0.8", ApplicationVersion = "2.5.0.6", BootloaderVersion = "1.5.1.1",
                SystemName = "nmc-1", SystemContact = "ops", SystemLocation = "Rack 1", LastQueried = DateTimeOffset.UtcNow,
                Status = DeviceStatus.NotAccessible, StatusDetail = "Cannot connect",
            };
            var stored = new NmcDevice { Id = id, Host = "10.0.0.5", Name = "renamed", Protocol = TransferProtocol.Ftp, Port = 21, UserName = "ops", ProtectedPassword = "new-blob" };

            QueriedFacts.CopyTo(queried, stored);

            Assert.Equal("AP9641", stored.Model);
            Assert.Equal("ZA1", stored.SerialNumber);
            Assert.Equal(ApplicationType.SU, stored.ApplicationType);
            Assert.Equal("2.5.0.6", stored.ApplicationVersion);
            Assert.Equal("1.5.1.1", stored.BootloaderVersion);
            Assert.Equal("Rack 1", stored.SystemLocation);
            Assert.Equal(queried.LastQueried, stored.LastQueried);
            Assert.Equal(DeviceStatus.NotAccessible, stored.Status);
            Assert.Equal("Cannot connect", stored.StatusDetail);
            // Edited meanwhile by Set-NmcDevice in another session: kept.
            Assert.Equal("renamed", stored.Name);
            Assert.Equal(TransferProtocol.Ftp, stored.Protocol);
            Assert.Equal(21, stored.Port);
            Assert.Equal("ops", stored.UserName);
            Assert.Equal("new-blob", stored.ProtectedPassword);
        }
    }
}
