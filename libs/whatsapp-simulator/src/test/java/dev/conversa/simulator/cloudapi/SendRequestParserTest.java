package dev.conversa.simulator.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import dev.conversa.simulator.media.MediaProperties;
import dev.conversa.simulator.media.MediaStore;
import tools.jackson.databind.json.JsonMapper;

class SendRequestParserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final MediaStore media = new MediaStore(
            new MediaProperties(DataSize.ofMegabytes(1), Duration.ofMinutes(5), null), Clock.systemUTC());
    private final SendRequestParser parser = new SendRequestParser(media);

    private SendRequestParser.CloudRequest parse(String json) {
        return parser.parse(JSON.readTree(json.replace('\'', '"')));
    }

    private SendRequestParser.Send send(String typeAndObject) {
        return (SendRequestParser.Send) parse("{'messaging_product':'whatsapp','recipient_type':'individual',"
                + "'to':'+16505551234'," + typeAndObject + "}");
    }

    private static void assertError(Runnable call, int code, String detailsFragment) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(GraphApiException.class, e -> {
            assertThat(e.code()).isEqualTo(code);
            assertThat(e.details()).contains(detailsFragment);
        });
    }

    @Test
    void textSendKeepsInputRecipientDigitsBodyAndCallbackData() {
        SendRequestParser.Send send = (SendRequestParser.Send) parse("{'messaging_product':'whatsapp',"
                + "'to':'+16505551234','type':'text','text':{'preview_url':true,'body':'Hola'},"
                + "'biz_opaque_callback_data':'order-7','context':{'message_id':'wamid.Q'}}");

        assertThat(send).isEqualTo(new SendRequestParser.Send("+16505551234", "16505551234", "text", "Hola",
                "order-7", "wamid.Q", null));
        assertThat(send.isTemplate()).isFalse();
    }

    @Test
    void typeDefaultsToText() {
        assertThat(((SendRequestParser.Send) parse("{'messaging_product':'whatsapp','to':'16505551234',"
                + "'text':{'body':'x'}}")).type()).isEqualTo("text");
    }

    @Test
    void missingOrWrongMessagingProductIs100() {
        assertError(() -> parse("{'to':'16505551234','text':{'body':'x'}}"), 100, "messaging_product");
        assertError(() -> parse("{'messaging_product':'sms','to':'16505551234','text':{'body':'x'}}"), 100,
                "messaging_product");
    }

    @Test
    void missingRecipientIs100AndANonNumberIs131009() {
        assertError(() -> parse("{'messaging_product':'whatsapp','text':{'body':'x'}}"), 100, "to");
        assertError(() -> parse("{'messaging_product':'whatsapp','to':'abc','text':{'body':'x'}}"), 131009,
                "abc");
    }

    @Test
    void textLongerThan4096CharactersIs100() {
        assertThat(send("'type':'text','text':{'body':'" + "a".repeat(4096) + "'}").text()).hasSize(4096);
        assertError(() -> send("'type':'text','text':{'body':'" + "a".repeat(4097) + "'}"), 100,
                "text['body'] must be at most 4096");
        assertError(() -> send("'type':'text','text':{}"), 100, "text['body']");
    }

    @Test
    void unknownTypeIs131051() {
        assertError(() -> send("'type':'poll','poll':{}"), 131051, "poll");
    }

    @Test
    void mediaBySendsAnUploadedIdOrALinkButNotBoth() {
        String id = media.put(new byte[] {1}, "image/jpeg", null).id();

        assertThat(send("'type':'image','image':{'id':'" + id + "','caption':'foto'}").text()).isEqualTo("foto");
        assertThat(send("'type':'video','video':{'link':'https://host/v.mp4'}").type()).isEqualTo("video");
        assertThat(send("'type':'document','document':{'link':'https://host/a.pdf','filename':'a.pdf'}").type())
                .isEqualTo("document");
        assertThat(send("'type':'audio','audio':{'id':'" + id + "'}").type()).isEqualTo("audio");
        assertThat(send("'type':'sticker','sticker':{'id':'" + id + "'}").type()).isEqualTo("sticker");
        assertError(() -> send("'type':'image','image':{'id':'" + id + "','link':'https://host/a.png'}"), 100,
                "exactly one of id or link");
        assertError(() -> send("'type':'image','image':{}"), 100, "exactly one of id or link");
        assertError(() -> send("'type':'image','image':{'id':'999'}"), 131009, "not a valid media id");
        assertError(() -> send("'type':'image','image':{'link':'ftp://host/a.png'}"), 100, "http(s) URL");
        assertError(() -> send("'type':'audio','audio':{'id':'" + id + "','caption':'x'}"), 100, "not allowed");
        assertError(() -> send("'type':'image','image':{'id':'" + id + "','caption':'" + "c".repeat(1025) + "'}"),
                100, "1024");
    }

    @Test
    void templateNeedsNameAndLanguageCodeAndWellFormedComponents() {
        SendRequestParser.Send template = send("'type':'template','template':{'name':'order_update',"
                + "'language':{'policy':'deterministic','code':'en_US'},'components':["
                + "{'type':'header','parameters':[{'type':'image','image':{'link':'https://host/a.png'}}]},"
                + "{'type':'body','parameters':[{'type':'text','text':'Ana'},"
                + "{'type':'currency','currency':{'fallback_value':'$10','code':'USD','amount_1000':10000}},"
                + "{'type':'date_time','date_time':{'fallback_value':'May 1, 2026'}}]},"
                + "{'type':'button','sub_type':'quick_reply','index':'0','parameters':[{'type':'payload',"
                + "'payload':'CONFIRM'}]}]}");

        assertThat(template.isTemplate()).isTrue();
        assertThat(template.text()).isEqualTo("order_update");
        assertError(() -> send("'type':'template','template':{'language':{'code':'en_US'}}"), 100,
                "template['name']");
        assertError(() -> send("'type':'template','template':{'name':'x','language':{}}"), 100,
                "template['language']['code']");
        assertError(() -> send("'type':'template','template':{'name':'x','language':{'code':'en'},"
                + "'components':[{'type':'button','parameters':[]}]}"), 100, "sub_type");
        assertError(() -> send("'type':'template','template':{'name':'x','language':{'code':'en'},"
                + "'components':[{'type':'body','parameters':[{'type':'text'}]}]}"), 100,
                "template['components'][0]['parameters'][0]['text']");
    }

    @Test
    void replyButtonsAreOneToThreeWithShortTitlesAndUniqueIds() {
        String ok = "'type':'interactive','interactive':{'type':'button','header':{'type':'text','text':'Workshop'},"
                + "'body':{'text':'¿Cambiar?'},'footer':{'text':'Conversa'},'action':{'buttons':["
                + "{'type':'reply','reply':{'id':'change-button','title':'Change'}},"
                + "{'type':'reply','reply':{'id':'cancel-button','title':'Cancel'}}]}}";
        assertThat(send(ok).text()).isEqualTo("¿Cambiar?");

        String four = "{'type':'reply','reply':{'id':'a','title':'A'}},".repeat(3)
                + "{'type':'reply','reply':{'id':'d','title':'D'}}";
        assertError(() -> send("'type':'interactive','interactive':{'type':'button','body':{'text':'x'},"
                + "'action':{'buttons':[" + four + "]}}"), 100, "between 1 and 3");
        assertError(() -> send("'type':'interactive','interactive':{'type':'button','body':{'text':'x'},"
                + "'action':{'buttons':[{'type':'reply','reply':{'id':'a','title':'" + "t".repeat(21) + "'}}]}}"),
                100, "at most 20");
        assertError(() -> send("'type':'interactive','interactive':{'type':'button','body':{'text':'x'},"
                + "'action':{'buttons':[{'type':'reply','reply':{'id':'a','title':'A'}},"
                + "{'type':'reply','reply':{'id':'a','title':'B'}}]}}"), 100, "unique");
        assertError(() -> send("'type':'interactive','interactive':{'type':'button',"
                + "'action':{'buttons':[{'type':'reply','reply':{'id':'a','title':'A'}}]}}"), 100,
                "interactive['body']");
    }

    @Test
    void listsHaveAButtonLabelAndOneToTenRows() {
        assertThat(send("'type':'interactive','interactive':{'type':'list','body':{'text':'Elegí'},"
                + "'action':{'button':'Ver opciones','sections':[{'title':'Planes','rows':["
                + "{'id':'basic','title':'Básico','description':'Lo justo'},{'id':'pro','title':'Pro'}]}]}}")
                .type()).isEqualTo("interactive");
        String elevenRows = "{'id':'r%d','title':'Row'},".repeat(10).formatted(0, 1, 2, 3, 4, 5, 6, 7, 8, 9)
                + "{'id':'r10','title':'Row'}";
        assertError(() -> send("'type':'interactive','interactive':{'type':'list','body':{'text':'x'},"
                + "'action':{'button':'Ver','sections':[{'rows':[" + elevenRows + "]}]}}"), 100, "10 rows");
        assertError(() -> send("'type':'interactive','interactive':{'type':'list','body':{'text':'x'},"
                + "'action':{'sections':[{'rows':[{'id':'a','title':'A'}]}]}}"), 100,
                "interactive['action']['button']");
        assertError(() -> send("'type':'interactive','interactive':{'type':'carousel','body':{'text':'x'},"
                + "'action':{}}"), 100, "interactive['type']");
    }

    @Test
    void reactionLocationAndContactsAreAccepted() {
        assertThat(send("'type':'reaction','reaction':{'message_id':'wamid.X','emoji':'👍'}").text())
                .isEqualTo("👍");
        assertThat(send("'type':'location','location':{'latitude':-34.6,'longitude':'-58.4','name':'Oficina'}")
                .text()).isEqualTo("Oficina");
        assertThat(send("'type':'contacts','contacts':[{'name':{'formatted_name':'Ana Pérez'},"
                + "'phones':[{'phone':'+5491155551234','type':'CELL'}]}]").text()).isEqualTo("Ana Pérez");
        assertError(() -> send("'type':'reaction','reaction':{'emoji':'👍'}"), 100, "reaction['message_id']");
        assertError(() -> send("'type':'location','location':{'latitude':100,'longitude':0}"), 100, "latitude");
        assertError(() -> send("'type':'contacts','contacts':[]"), 100, "at least one");
    }

    @Test
    void markAsReadNeedsTheMessageId() {
        assertThat(parse("{'messaging_product':'whatsapp','status':'read','message_id':'wamid.X',"
                + "'typing_indicator':{'type':'text'}}"))
                .isEqualTo(new SendRequestParser.MarkRead("wamid.X", true));
        assertError(() -> parse("{'messaging_product':'whatsapp','status':'read'}"), 100, "message_id");
        assertError(() -> parse("{'messaging_product':'whatsapp','status':'delivered','message_id':'w'}"), 100,
                "READ");
    }

    @Test
    void callbackDataLongerThan512CharactersIs100() {
        assertError(() -> send("'type':'text','text':{'body':'x'},'biz_opaque_callback_data':'"
                + "b".repeat(513) + "'"), 100, "biz_opaque_callback_data");
    }

    @Test
    void groupSendsAreNotSimulated() {
        assertError(() -> parse("{'messaging_product':'whatsapp','recipient_type':'group','to':'120363','type':"
                + "'text','text':{'body':'x'}}"), 131009, "Group");
    }
}
