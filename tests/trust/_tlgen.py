"""Synthetic trusted lists for the trust tests: a small TS 119 612 document and a signer.

Kept independent of ``esig.trust.builder`` so the parser and verifier are tested against XML
written by hand here, signed by signxml with throwaway keys.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from cryptography.x509.oid import NameOID
from lxml import etree

SIGNER_NOT_BEFORE = datetime(2024, 1, 1, tzinfo=UTC)
SIGNER_NOT_AFTER = datetime(2030, 1, 1, tzinfo=UTC)
ISSUED = datetime(2026, 5, 1, tzinfo=UTC)
NEXT_UPDATE = datetime(2026, 11, 1, tzinfo=UTC)

# A dummy service certificate (not parsed by the trust layer): fixed bytes, valid base64.
SERVICE_CERT_B64 = "MIIBszCCAVmgAwIBAgIUAQ=="


def make_signer(cn: str = "Test TL Signer") -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A throwaway P-256 key and a self-signed certificate for it."""
    key = ec.generate_private_key(ec.SECP256R1())
    return key, self_signed(key, cn)


def self_signed(
    key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey,
    cn: str,
    not_before: datetime = SIGNER_NOT_BEFORE,
    not_after: datetime = SIGNER_NOT_AFTER,
) -> x509.Certificate:
    """A self-signed list-signer certificate for ``key``."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return cert


def der(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(Encoding.DER)


def _iso(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def tl_xml(
    *,
    version: int = 6,
    sequence: int = 42,
    territory: str = "AZ",
    issued: datetime = ISSUED,
    next_update: datetime | None = NEXT_UPDATE,
    service_name: str = "Test Qualified CA",
    extra_provider: str = "",
    root_id: str = "tl-root",
) -> bytes:
    """A v5/v6 list: one pointer, one provider, one CA/QC service with 2 history entries,
    every service information extension and a critical unknown extension."""
    nu = f"<dateTime>{_iso(next_update)}</dateTime>" if next_update else ""
    # TL v6 (TS 119 612 v2.4.1) types each supply point; v5 lists have no attribute.
    supply_type = (
        ' type="http://uri.etsi.org/TrstSvc/Svctype/Certstatus/OCSP/QC"' if version >= 6 else ""
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<TrustServiceStatusList xmlns="http://uri.etsi.org/02231/v2#"
  xmlns:tslx="http://uri.etsi.org/02231/v2/additionaltypes#"
  xmlns:ecc="http://uri.etsi.org/TrstSvc/SvcInfoExt/eSigDir-1999-93-EC-TrustedList/#"
  xmlns:xades="http://uri.etsi.org/01903/v1.3.2#"
  Id="{root_id}" TSLTag="http://uri.etsi.org/19612/TSLTag">
 <SchemeInformation>
  <TSLVersionIdentifier>{version}</TSLVersionIdentifier>
  <TSLSequenceNumber>{sequence}</TSLSequenceNumber>
  <TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUgeneric</TSLType>
  <SchemeOperatorName>
   <Name xml:lang="en">Test Scheme Operator</Name>
   <Name xml:lang="az">Sınaq operatoru</Name>
  </SchemeOperatorName>
  <SchemeName><Name xml:lang="en">{territory}: test scheme</Name></SchemeName>
  <SchemeInformationURI><URI xml:lang="en">https://example.test/tl</URI></SchemeInformationURI>
  <StatusDeterminationApproach>http://uri.etsi.org/TrstSvc/TrustedList/StatusDetn/EUappropriate</StatusDeterminationApproach>
  <SchemeTypeCommunityRules><URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUcommon</URI></SchemeTypeCommunityRules>
  <SchemeTerritory>{territory}</SchemeTerritory>
  <HistoricalInformationPeriod>65535</HistoricalInformationPeriod>
  <PointersToOtherTSL>
   <OtherTSLPointer>
    <ServiceDigitalIdentities>
     <ServiceDigitalIdentity><DigitalId><X509Certificate>{SERVICE_CERT_B64}</X509Certificate></DigitalId></ServiceDigitalIdentity>
     <ServiceDigitalIdentity><DigitalId><X509SubjectName>CN=EU LOTL signer</X509SubjectName></DigitalId></ServiceDigitalIdentity>
    </ServiceDigitalIdentities>
    <TSLLocation>https://example.test/eu-lotl.xml</TSLLocation>
    <AdditionalInformation>
     <OtherInformation><TSLType>http://uri.etsi.org/TrstSvc/TrustedList/TSLType/EUlistofthelists</TSLType></OtherInformation>
     <OtherInformation><SchemeOperatorName><Name xml:lang="en">European Commission</Name></SchemeOperatorName></OtherInformation>
     <OtherInformation><SchemeTypeCommunityRules><URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/schemerules/EUlistofthelists</URI></SchemeTypeCommunityRules></OtherInformation>
     <OtherInformation><SchemeTerritory>EU</SchemeTerritory></OtherInformation>
     <OtherInformation><tslx:MimeType>application/vnd.etsi.tsl+xml</tslx:MimeType></OtherInformation>
    </AdditionalInformation>
   </OtherTSLPointer>
  </PointersToOtherTSL>
  <ListIssueDateTime>{_iso(issued)}</ListIssueDateTime>
  <NextUpdate>{nu}</NextUpdate>
  <DistributionPoints><URI>https://example.test/tl.xml</URI></DistributionPoints>
 </SchemeInformation>
 <TrustServiceProviderList>
  <TrustServiceProvider>
   <TSPInformation>
    <TSPName><Name xml:lang="en">Test TSP</Name></TSPName>
    <TSPTradeName><Name xml:lang="en">VATAZ-1234567890</Name></TSPTradeName>
    <TSPAddress>
     <PostalAddresses><PostalAddress xml:lang="en"><StreetAddress>1 Test St</StreetAddress>
      <Locality>Baku</Locality><CountryName>AZ</CountryName></PostalAddress></PostalAddresses>
     <ElectronicAddress><URI>mailto:tsp@example.test</URI></ElectronicAddress>
    </TSPAddress>
    <TSPInformationURI><URI xml:lang="en">https://tsp.example.test</URI></TSPInformationURI>
   </TSPInformation>
   <TSPServices>
    <TSPService>
     <ServiceInformation>
      <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>
      <ServiceName><Name xml:lang="en">{service_name}</Name></ServiceName>
      <ServiceDigitalIdentity>
       <DigitalId><X509Certificate>{SERVICE_CERT_B64}</X509Certificate></DigitalId>
       <DigitalId><X509SubjectName>CN=Test Qualified CA,C=AZ</X509SubjectName></DigitalId>
       <DigitalId><X509SKI>AAECAwQFBgcICQoLDA0ODxAREhM=</X509SKI></DigitalId>
      </ServiceDigitalIdentity>
      <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/granted</ServiceStatus>
      <StatusStartingTime>2020-01-01T00:00:00Z</StatusStartingTime>
      <SchemeServiceDefinitionURI><URI xml:lang="en">https://example.test/scheme-service</URI></SchemeServiceDefinitionURI>
      <ServiceSupplyPoints>
       <ServiceSupplyPoint{supply_type}>http://ocsp.example.test/</ServiceSupplyPoint>
       <ServiceSupplyPoint>http://crl.example.test/ca.crl</ServiceSupplyPoint>
      </ServiceSupplyPoints>
      <TSPServiceDefinitionURI><URI xml:lang="az">https://tsp.example.test/cps</URI></TSPServiceDefinitionURI>
      <ServiceInformationExtensions>
       <Extension Critical="true">
        <ecc:Qualifications>
         <ecc:QualificationElement>
          <ecc:Qualifiers>
           <ecc:Qualifier uri="http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCWithQSCD"/>
           <ecc:Qualifier uri="http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/QCForESig"/>
          </ecc:Qualifiers>
          <ecc:CriteriaList assert="atLeastOne">
           <ecc:KeyUsage>
            <ecc:KeyUsageBit name="nonRepudiation">true</ecc:KeyUsageBit>
            <ecc:KeyUsageBit name="digitalSignature">false</ecc:KeyUsageBit>
           </ecc:KeyUsage>
           <ecc:PolicySet>
            <ecc:PolicyIdentifier><xades:Identifier Qualifier="OIDAsURN">urn:oid:0.4.0.194112.1.2</xades:Identifier></ecc:PolicyIdentifier>
           </ecc:PolicySet>
           <ecc:CriteriaList assert="none">
            <ecc:otherCriteriaList>
             <tslx:ExtendedKeyUsage><tslx:KeyPurposeId><xades:Identifier>1.3.6.1.5.5.7.3.1</xades:Identifier></tslx:KeyPurposeId></tslx:ExtendedKeyUsage>
             <tslx:CertSubjectDNAttribute><tslx:AttributeOID><xades:Identifier>2.5.4.97</xades:Identifier></tslx:AttributeOID></tslx:CertSubjectDNAttribute>
            </ecc:otherCriteriaList>
           </ecc:CriteriaList>
           <ecc:Description>natural persons</ecc:Description>
          </ecc:CriteriaList>
         </ecc:QualificationElement>
        </ecc:Qualifications>
       </Extension>
       <Extension Critical="true">
        <AdditionalServiceInformation><URI xml:lang="en">http://uri.etsi.org/TrstSvc/TrustedList/SvcInfoExt/ForeSignatures</URI></AdditionalServiceInformation>
       </Extension>
       <Extension Critical="false"><ExpiredCertsRevocationInfo>2019-12-31T00:00:00Z</ExpiredCertsRevocationInfo></Extension>
       <Extension Critical="false">
        <tslx:TakenOverBy>
         <tslx:URI xml:lang="en">https://other.example.test/ca</tslx:URI>
         <tslx:TSPName><Name xml:lang="en">Other TSP</Name></tslx:TSPName>
         <SchemeOperatorName><Name xml:lang="en">Other operator</Name></SchemeOperatorName>
         <SchemeTerritory>TR</SchemeTerritory>
        </tslx:TakenOverBy>
       </Extension>
       <Extension Critical="true"><AzNational xmlns="urn:example:az">x</AzNational></Extension>
      </ServiceInformationExtensions>
     </ServiceInformation>
     <ServiceHistory>
      <ServiceHistoryInstance>
       <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>
       <ServiceName><Name xml:lang="en">{service_name}</Name></ServiceName>
       <ServiceDigitalIdentity><DigitalId><X509SKI>AAECAwQFBgcICQoLDA0ODxAREhM=</X509SKI></DigitalId></ServiceDigitalIdentity>
       <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/undersupervision</ServiceStatus>
       <StatusStartingTime>2015-01-01T00:00:00Z</StatusStartingTime>
      </ServiceHistoryInstance>
      <ServiceHistoryInstance>
       <ServiceTypeIdentifier>http://uri.etsi.org/TrstSvc/Svctype/CA/QC</ServiceTypeIdentifier>
       <ServiceName><Name xml:lang="en">{service_name}</Name></ServiceName>
       <ServiceDigitalIdentity><DigitalId><X509SKI>AAECAwQFBgcICQoLDA0ODxAREhM=</X509SKI></DigitalId></ServiceDigitalIdentity>
       <ServiceStatus>http://uri.etsi.org/TrstSvc/TrustedList/Svcstatus/withdrawn</ServiceStatus>
       <StatusStartingTime>2018-06-01T12:00:00Z</StatusStartingTime>
      </ServiceHistoryInstance>
     </ServiceHistory>
    </TSPService>
   </TSPServices>
  </TrustServiceProvider>{extra_provider}
 </TrustServiceProviderList>
</TrustServiceStatusList>
""".encode()


def sign(
    xml: bytes,
    key: ec.EllipticCurvePrivateKey,
    cert: x509.Certificate,
    *,
    xades: bool = True,
    reference_uri: str | list[str] | None = None,
) -> bytes:
    """Sign ``xml`` with an enveloped XAdES-BES (or plain XML-DSig) ECDSA-SHA256 signature."""
    from signxml import methods
    from signxml.algorithms import CanonicalizationMethod, DigestAlgorithm, SignatureMethod
    from signxml.signer import XMLSigner
    from signxml.xades.xades import XAdESSigner

    # signxml digests a transform-less SignedProperties reference with the signer's c14n method
    # but verifies it with c14n 1.1: keep c14n 1.1 so the two agree.
    args = {
        "method": methods.enveloped,
        "signature_algorithm": SignatureMethod.ECDSA_SHA256,
        "digest_algorithm": DigestAlgorithm.SHA256,
        "c14n_algorithm": CanonicalizationMethod.CANONICAL_XML_1_1,
    }
    signer = XAdESSigner(**args) if xades else XMLSigner(**args)
    root = etree.fromstring(xml)
    signed = signer.sign(root, key=key, cert=[cert], reference_uri=reference_uri)
    return bytes(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


def after(days: float) -> datetime:
    """``ISSUED`` plus ``days``."""
    return ISSUED + timedelta(days=days)
