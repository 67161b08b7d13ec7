using System;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.Devices
{
    /// <summary>The Status PowerShell shows: reads, equals, sorts and parses as the SNS wording.</summary>
    public class DeviceStatusLabelTests
    {
        [Fact]
        public void Prints_as_the_SNS_wording()
        {
            Assert.Equal("Update Complete", new DeviceStatusLabel(DeviceStatus.UpdateComplete).ToString());
            Assert.Equal("Activate Subscription to Update", ((DeviceStatusLabel)DeviceStatus.ActivateSubscriptionToUpdate).Text);
            Assert.Equal("Unknown", default(DeviceStatusLabel).ToString());
        }

        [Theory]
        [InlineData("Update Error")]
        [InlineData("update error")]
        [InlineData("UpdateError")]
        [InlineData(" Update Error ")]
        public void Equals_the_wording_and_the_enum_name_in_any_case(string text)
        {
            var label = new DeviceStatusLabel(DeviceStatus.UpdateError);
            Assert.True(label.Equals(text));
            Assert.True(label.Equals(DeviceStatus.UpdateError));
            Assert.True(label.Equals((object)new DeviceStatusLabel(DeviceStatus.UpdateError)));
            Assert.Equal(label, DeviceStatusLabel.Parse(text));
        }

        [Fact]
        public void Differs_from_another_status_and_from_text_that_is_no_status()
        {
            var label = new DeviceStatusLabel(DeviceStatus.UpdateComplete);
            Assert.False(label.Equals("Update Error"));
            Assert.False(label.Equals("Complete"));
            Assert.False(label.Equals(DeviceStatus.UpdateError));
            Assert.False(label.Equals(null));
            Assert.True(label != DeviceStatus.UpdateError);
        }

        [Fact]
        public void Equal_labels_hash_alike_so_grouping_puts_them_together()
        {
            var groups = new[] { DeviceStatus.UpdateError, DeviceStatus.UpdateComplete, DeviceStatus.UpdateError }
                .Select(s => new DeviceStatusLabel(s)).GroupBy(l => l).ToList();
            Assert.Equal(2, groups.Count);
            Assert.Equal("Update Error", groups[0].Key.ToString());
        }

        [Fact]
        public void Sorts_alphabetically_by_the_wording_not_by_the_enum_order()
        {
            // Enum order: NotAccessible < ReadyForUpdate < UpdateComplete; the words: "Activate..." first either way.
            var sorted = new[] { DeviceStatus.UpdateComplete, DeviceStatus.QueuedForUpdate, DeviceStatus.ActivateSubscriptionToUpdate, DeviceStatus.AtCurrentVersion }
                .Select(s => new DeviceStatusLabel(s)).OrderBy(l => l).Select(l => l.Text).ToList();
            Assert.Equal(new[] { "Activate Subscription to Update", "At Current Version", "Queued for Update", "Update Complete" }, sorted);
            Assert.True(new DeviceStatusLabel(DeviceStatus.UpdateError).CompareTo("Update Complete") > 0);
            Assert.Equal(0, new DeviceStatusLabel(DeviceStatus.UpdateError).CompareTo((object)DeviceStatus.UpdateError));
            Assert.True(new DeviceStatusLabel(DeviceStatus.Unknown).CompareTo(null) > 0);
        }

        [Fact]
        public void Parse_names_the_statuses_it_accepts()
        {
            var error = Assert.Throws<FormatException>(() => DeviceStatusLabel.Parse("Finished"));
            Assert.Contains("'Finished' is not a device status", error.Message);
            Assert.Contains("'Update Complete'", error.Message);
            Assert.False(DeviceStatusLabel.TryParse("", out _));
        }

        [Fact]
        public void Converts_to_and_from_the_enum()
        {
            DeviceStatusLabel label = DeviceStatus.ReadyForUpdate;
            DeviceStatus code = label;
            Assert.Equal(DeviceStatus.ReadyForUpdate, code);
            Assert.Equal(DeviceStatus.ReadyForUpdate, label.Code);
        }
    }
}
