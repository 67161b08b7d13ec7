using System;
using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Tests.Devices
{
    public class DevicePartitionTests
    {
        private static List<NmcDevice> Fleet(int count)
        {
            var random = new Random(14);
            var bytes = new byte[16];
            return Enumerable.Range(0, count).Select(i =>
            {
                random.NextBytes(bytes);
                return new NmcDevice { Id = new Guid(bytes), Host = "10.0." + (i / 250) + "." + (i % 250 + 1) };
            }).ToList();
        }

        [Theory]
        [InlineData(1)]
        [InlineData(3)]
        [InlineData(8)]
        [InlineData(17)]
        public void Shares_of_ten_thousand_devices_are_disjoint_and_complete(int count)
        {
            var fleet = Fleet(10000);
            var seen = new HashSet<Guid>();
            var sizes = new List<int>();
            for (int k = 1; k <= count; k++)
            {
                var share = new DeviceFilter { Partition = new DevicePartition(k, count) }.Apply(fleet).ToList();
                sizes.Add(share.Count);
                foreach (var device in share) Assert.True(seen.Add(device.Id), $"device {device.Id} is in two shares");
            }
            Assert.Equal(fleet.Count, seen.Count);
            // Spread evenly enough that no worker gets a share twice the size of another's.
            Assert.True(sizes.Min() * 2 > sizes.Max(), string.Join(",", sizes));
        }

        [Fact]
        public void A_share_depends_on_the_id_only_not_on_the_other_devices()
        {
            var fleet = Fleet(500);
            var before = fleet.ToDictionary(d => d.Id, d => DevicePartition.ShareOf(d.Id, 8));
            var reordered = Enumerable.Reverse(fleet).Take(200).ToList();
            foreach (var d in reordered) Assert.Equal(before[d.Id], DevicePartition.ShareOf(d.Id, 8));
            // Fixed value, so a change of the hash (which would move cards between workers) shows.
            Assert.Equal(7, DevicePartition.ShareOf(new Guid("7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a"), 8));
            Assert.Equal(1, DevicePartition.ShareOf(new Guid("7d1c8f5e-2a7b-4a7e-9a55-0d6d4f1c2b3a"), 1));
        }

        [Theory]
        [InlineData("3/8", 3, 8)]
        [InlineData(" 1 / 1 ", 1, 1)]
        [InlineData("8/8", 8, 8)]
        public void Parses_k_of_n(string text, int index, int count)
        {
            Assert.True(DevicePartition.TryParse(text, out var p, out var error), error);
            Assert.Equal(index, p!.Index);
            Assert.Equal(count, p.Count);
        }

        [Theory]
        [InlineData("", "is not a share")]
        [InlineData("3", "is not a share")]
        [InlineData("3/8/2", "is not a share")]
        [InlineData("a/8", "is not a share")]
        [InlineData("-1/8", "is not a share")]
        [InlineData("0/8", "share 0 does not exist among 8")]
        [InlineData("9/8", "share 9 does not exist among 8")]
        [InlineData("1/0", "number of shares must be from 1")]
        public void Refuses_bad_shares_with_a_specific_reason(string text, string expected)
        {
            Assert.False(DevicePartition.TryParse(text, out var p, out var error));
            Assert.Null(p);
            Assert.Contains(expected, error);
            Assert.Contains("k/N", error);
        }

        [Fact]
        public void Site_filter_matches_wildcards_case_insensitively_and_skips_devices_without_a_site()
        {
            var devices = new[]
            {
                new NmcDevice { Host = "a", Site = "Berlin-DC1" },
                new NmcDevice { Host = "b", Site = "berlin-dc2" },
                new NmcDevice { Host = "c", Site = "Paris" },
                new NmcDevice { Host = "d" },
            };
            var hosts = new DeviceFilter { Site = new[] { "BERLIN-*" } }.Apply(devices).Select(d => d.Host);
            Assert.Equal(new[] { "a", "b" }, hosts);
            Assert.Equal(new[] { "c" }, new DeviceFilter { Site = new[] { "paris" } }.Apply(devices).Select(d => d.Host));
        }

        [Fact]
        public void Site_is_trimmed_empty_means_none_and_control_characters_are_refused()
        {
            Assert.Equal("DC1", DeviceSite.Normalize("  DC1 ", out var e1));
            Assert.Null(e1);
            Assert.Null(DeviceSite.Normalize("   ", out var e2));
            Assert.Null(e2);
            Assert.Null(DeviceSite.Normalize("DC\t1", out var e3));
            Assert.Contains("control character", e3);
            DeviceSite.Normalize(new string('x', DeviceSite.MaxLength + 1), out var e4);
            Assert.Contains("at most", e4);
        }

        [Fact]
        public void Edit_sets_and_clears_the_site()
        {
            var device = new NmcDevice { Host = "ups1", Site = "Old" };
            var edit = new DeviceEdit { Site = " New " };
            Assert.Empty(edit.Validate());
            Assert.Contains("site 'Old' -> 'New'", edit.Describe(device));
            edit.ApplyTo(device, null);
            Assert.Equal("New", device.Site);
            new DeviceEdit { Site = "" }.ApplyTo(device, null);
            Assert.Null(device.Site);
            Assert.Contains(new DeviceEdit { Site = "a\nb" }.Validate(), e => e.Contains("control character"));
        }
    }
}
