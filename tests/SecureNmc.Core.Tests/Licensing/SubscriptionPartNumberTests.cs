using System;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Tests.Licensing
{
    public class SubscriptionPartNumberTests
    {
        [Theory]
        [InlineData("SWNMC3SU-1Y-DIGI", SubscriptionFamily.SmartUps, 1)]
        [InlineData("SWNMC3SU-6Y-DIGI", SubscriptionFamily.SmartUps, 6)]
        [InlineData("SWNMC3PDU-1Y-DIGI", SubscriptionFamily.RackPdu, 1)]
        [InlineData("SWNMC3PDU-3Y-DIGI", SubscriptionFamily.RackPdu, 3)]
        [InlineData("SWNMC3PDU-6Y-DIGI", SubscriptionFamily.RackPdu, 6)]
        [InlineData("FWENMC1P-ST1Y-DIGI", SubscriptionFamily.EasyUpsOnline, 1)]
        [InlineData("FWENMC1P-ST6Y-DIGI", SubscriptionFamily.EasyUpsOnline, 6)]
        [InlineData(" swnmc3su-4y-digi ", SubscriptionFamily.SmartUps, 4)]
        public void Parses_family_and_term_from_the_sku(string text, SubscriptionFamily family, int years)
        {
            var part = SubscriptionPartNumber.Parse(text);
            Assert.Equal(family, part.Family);
            Assert.Equal(years, part.TermYears);
            Assert.Equal(text.Trim().ToUpperInvariant(), part.Text);
        }

        [Theory]
        [InlineData("SWNMC3SU-0Y-DIGI")]   // below the 1-year minimum
        [InlineData("SWNMC3SU-7Y-DIGI")]   // above the 6-year maximum
        [InlineData("FWENMC1P-ST7Y-DIGI")]
        [InlineData("SWNMC3SU-1Y")]
        [InlineData("SWNMC3PDU-12Y-DIGI")]
        [InlineData("FWENMC1P-1Y-DIGI")]   // Easy UPS SKUs carry "ST"
        [InlineData("SFNMC3SNST")]         // the SNS Tool itself, not a subscription
        [InlineData("")]
        [InlineData(null)]
        public void Rejects_anything_else(string? text)
        {
            Assert.False(SubscriptionPartNumber.TryParse(text, out _));
            var e = Assert.Throws<FormatException>(() => SubscriptionPartNumber.Parse(text));
            Assert.Contains("SWNMC3SU-nY-DIGI", e.Message);
        }

        [Fact]
        public void All_eighteen_skus_of_the_seed_round_trip()
        {
            foreach (SubscriptionFamily family in Enum.GetValues(typeof(SubscriptionFamily)))
                for (int years = 1; years <= 6; years++)
                {
                    var text = SubscriptionPartNumber.Format(family, years);
                    var part = SubscriptionPartNumber.Parse(text);
                    Assert.Equal(family, part.Family);
                    Assert.Equal(years, part.TermYears);
                }
            Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionPartNumber.Create(SubscriptionFamily.RackPdu, 7));
            Assert.Throws<ArgumentOutOfRangeException>(() => SubscriptionPartNumber.Create(SubscriptionFamily.RackPdu, 0));
        }

        [Theory]
        [InlineData(ApplicationType.SU, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.SY, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.SUCAN, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.EU3P, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.PX, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.SYPX, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.EMGPX, SubscriptionFamily.SmartUps)]
        [InlineData(ApplicationType.RPDU2G, SubscriptionFamily.RackPdu)]
        [InlineData(ApplicationType.EU1P, SubscriptionFamily.EasyUpsOnline)]
        public void Each_application_type_belongs_to_its_family(ApplicationType type, SubscriptionFamily family) =>
            Assert.Equal(family, SubscriptionFamilies.FamilyOf(type));
    }
}
