using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.Devices
{
    /// <summary>Set-NmcDevice -AllowLegacySsh: the per-device, explicit opt-in the SSH errors point to.</summary>
    public class DeviceEditLegacySshTests
    {
        [Fact]
        public void The_opt_in_is_set_described_and_taken_back_per_device()
        {
            var device = new NmcDevice { Host = "10.0.0.5", Name = "old-card" };
            var allow = new DeviceEdit { AllowLegacySsh = true };
            Assert.False(allow.IsEmpty);
            Assert.Contains("allow legacy SSH algorithms", allow.Describe(device));

            allow.ApplyTo(device, null);
            Assert.True(device.AllowLegacySsh);
            Assert.Equal("no change", allow.Describe(device));

            new DeviceEdit { AllowLegacySsh = false }.ApplyTo(device, null);
            Assert.False(device.AllowLegacySsh);
        }

        [Fact]
        public void An_edit_that_does_not_name_it_leaves_it_as_it_is()
        {
            var device = new NmcDevice { Host = "10.0.0.5", AllowLegacySsh = true };
            new DeviceEdit { NewName = "renamed" }.ApplyTo(device, null);
            Assert.True(device.AllowLegacySsh);
        }
    }
}
