using System;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.Module.Tests
{
    /// <summary>One device parameter, three ways to name a device: object, name or host (wildcards), id.</summary>
    public sealed class PipeBindTests
    {
        private static readonly NmcDevice Ups1 = new NmcDevice { Host = "10.0.0.5", Name = "ups-rack1" };
        private static readonly NmcDevice Ups2 = new NmcDevice { Host = "10.0.0.6", Name = "ups-rack2" };
        private static readonly NmcDevice Pdu = new NmcDevice { Host = "pdu7.example.net", Name = "pdu7" };
        private static readonly NmcDevice[] Inventory = { Ups1, Ups2, Pdu };

        [Fact]
        public void A_device_object_resolves_by_id_even_after_a_rename_elsewhere()
        {
            var stale = Ups2.Clone();
            stale.Name = "renamed meanwhile";
            Assert.Same(Ups2, Assert.Single(new NmcDevicePipeBind(stale).Resolve(Inventory)));
        }

        [Fact]
        public void A_device_object_not_in_the_inventory_resolves_to_nothing() =>
            Assert.Empty(new NmcDevicePipeBind(new NmcDevice { Host = "10.0.0.5" }).Resolve(Inventory));

        [Theory]
        [InlineData("ups-rack1", 1)]
        [InlineData("UPS-RACK1", 1)]
        [InlineData("10.0.0.6", 1)]
        [InlineData("ups-*", 2)]
        [InlineData("*", 3)]
        [InlineData("nothing", 0)]
        public void A_name_or_host_resolves_with_wildcards(string text, int expected) =>
            Assert.Equal(expected, new NmcDevicePipeBind(text).Resolve(Inventory).Count);

        [Fact]
        public void Only_wildcard_text_counts_as_a_pattern()
        {
            Assert.True(new NmcDevicePipeBind("ups-*").IsPattern);
            Assert.False(new NmcDevicePipeBind("ups-rack1").IsPattern);
            Assert.False(new NmcDevicePipeBind(Ups1).IsPattern);
        }

        [Fact]
        public void An_id_resolves_to_that_device() =>
            Assert.Same(Pdu, Assert.Single(new NmcDevicePipeBind(Pdu.Id).Resolve(Inventory)));

        [Fact]
        public void Empty_text_is_refused() =>
            Assert.Throws<ArgumentException>(() => new NmcDevicePipeBind("  "));

        [Theory]
        [InlineData("ups1", "ups1")]
        [InlineData("UPS Rack 4", "'UPS Rack 4'")]
        [InlineData("it's", "'it''s'")]
        public void Completions_quote_names_PowerShell_would_split(string name, string expected) =>
            Assert.Equal(expected, ArgumentQuoting.Quote(name));
    }
}
